import { describe, expect, it } from 'vitest';
import { bandForEmployees, classifyEmail, domainMatchesCompany, employeesFromSize, registrableLabel, seniorityOf } from './lead-signals.js';

describe('seniorityOf', () => {
  it.each([
    ['CTO', 'c_level'],
    ['Chief Revenue Officer', 'c_level'],
    ['Co-Founder & CEO', 'c_level'],
    ['Founder', 'c_level'],
    ['Owner', 'c_level'],
    ['President', 'c_level'],
    ['CISO', 'c_level'],
    ['Vice President of Sales', 'vp'],
    ['SVP Engineering', 'vp'],
    ['VP Marketing', 'vp'],
    ['Head of Growth', 'vp'],
    ['Director of Engineering', 'director'],
    ['Marketing Manager', 'manager'],
    ['Team Lead', 'manager'],
    ['Product Owner', 'other'],
    ['Lead Generation Specialist', 'other'],
    ['Software Engineer', 'other'],
    ['Internal Auditor', 'other'],
    ['Marketing Intern', 'intern'],
    ['Graduate Student', 'student'],
    [undefined, 'other'],
  ] as const)('%s → %s', (role, level) => {
    expect(seniorityOf(role)).toBe(level);
  });
});

describe('classifyEmail', () => {
  it.each([
    ['cto@techcorp.com', 'TechCorp Inc', 'company_domain'],
    ['jane@mail.techcorp.co.uk', 'TechCorp Ltd', 'company_domain'],
    ['a@acme.com', 'Acme Widgets LLC', 'company_domain'],
    ['a@ibm.com', 'International Business Machines', 'company_domain'],
    ['prospect@company.com', 'TechCorp Inc', 'business_domain'],
    ['someone@othercorp.io', undefined, 'business_domain'],
    ['someone@gmail.com', 'TechCorp Inc', 'free_provider'],
    ['someone@yahoo.co.uk', 'TechCorp Inc', 'free_provider'],
    ['someone@outlook.de', 'TechCorp Inc', 'free_provider'],
    ['someone@mailinator.com', 'TechCorp Inc', 'disposable'],
    ['someone@yopmail.fr', 'TechCorp Inc', 'disposable'],
    [undefined, 'TechCorp Inc', 'missing'],
  ] as const)('%s at %s → %s', (email, company, kind) => {
    expect(classifyEmail(email, company)).toBe(kind);
  });

  it('finds the registrable label behind country second-level suffixes', () => {
    expect(registrableLabel('mail.techcorp.co.uk')).toBe('techcorp');
    expect(registrableLabel('techcorp.com')).toBe('techcorp');
  });

  it('does not match unrelated short names', () => {
    expect(domainMatchesCompany('tech', 'TechCorp Inc')).toBe(false);
    expect(domainMatchesCompany('company', 'TechCorp Inc')).toBe(false);
  });
});

describe('company size', () => {
  it.each([
    [1, '1-10'],
    [10, '1-10'],
    [11, '11-50'],
    [200, '51-200'],
    [1000, '201-1000'],
    [1001, '1000+'],
  ] as const)('%d employees → band %s', (employees, band) => {
    expect(bandForEmployees(employees)).toBe(band);
  });

  it.each([
    ['51-200', 200],
    ['1,000+', 1001],
    ['250', 250],
    ['11 to 50', 50],
  ] as const)('reads "%s" as %d employees', (text, employees) => {
    expect(employeesFromSize(text)).toBe(employees);
  });

  it('rejects text that is not a size', () => {
    expect(employeesFromSize('large')).toBeUndefined();
    expect(employeesFromSize('200-50')).toBeUndefined();
    expect(employeesFromSize(-1)).toBeUndefined();
  });
});
