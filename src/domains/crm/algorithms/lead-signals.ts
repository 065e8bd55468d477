/**
 * The demographic signals of lead scoring: seniority from a job title, the kind of email address, and the
 * company size band. Pure string parsing; the weights they feed are in lead-scoring.ts.
 */

export type SeniorityLevel = 'c_level' | 'vp' | 'director' | 'manager' | 'other' | 'intern' | 'student';

export const SENIORITY_VALUE: Record<SeniorityLevel, number> = {
  c_level: 1,
  vp: 0.8,
  director: 0.6,
  manager: 0.4,
  other: 0.2,
  intern: 0,
  student: 0,
};

const C_LEVEL_ACRONYMS = 'ceo|cto|cfo|coo|cmo|cio|cro|cpo|cso|cdo|cco|cxo|ciso|caio|chro';
const STUDENT = /\b(student|undergraduate|phd\s+candidate)\b/;
const INTERN = /\b(intern|internship|trainee|apprentice)\b/;
// "Vice President" must not count as "President", so VP patterns are removed before the C-level test.
const VP = /\b(vice[\s-]+president|[se]?vp|head\s+of)\b/;
// "Product Owner" and the like are team roles, not owners of the business.
const C_LEVEL = new RegExp(
  `\\b(${C_LEVEL_ACRONYMS}|chief|founder|co-?founder|(?<!(product|process|account|business|data)\\s)owner|president)\\b`,
);
const DIRECTOR = /\bdirector\b/;
const MANAGER = /\b(manager|lead(?!\s+gen))\b/;

/** Seniority of a role/title: student or intern wins (they do not buy), otherwise the highest level named. */
export function seniorityOf(role: string | undefined): SeniorityLevel {
  if (role === undefined) return 'other';
  const text = role.toLowerCase();
  if (STUDENT.test(text)) return 'student';
  if (INTERN.test(text)) return 'intern';
  if (C_LEVEL.test(text.replace(new RegExp(VP.source, 'g'), ' '))) return 'c_level';
  if (VP.test(text)) return 'vp';
  if (DIRECTOR.test(text)) return 'director';
  if (MANAGER.test(text)) return 'manager';
  return 'other';
}

export type EmailKind = 'company_domain' | 'business_domain' | 'free_provider' | 'disposable' | 'missing';

export const EMAIL_VALUE: Record<EmailKind, number> = {
  company_domain: 1,
  business_domain: 0.8,
  free_provider: 0.3,
  disposable: 0,
  missing: 0,
};

// The big free providers; a label entry covers every country domain (yahoo.co.uk, gmx.de …).
const FREE_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'msn.com',
  'me.com',
  'mac.com',
  'icloud.com',
  'mail.com',
  'email.com',
  'usa.com',
  'inbox.com',
  'proton.me',
  'pm.me',
  'protonmail.com',
  'protonmail.ch',
  'zoho.com',
  'zohomail.com',
  'fastmail.com',
  'hey.com',
  'tutanota.com',
  'tuta.io',
  'qq.com',
  '163.com',
  '126.com',
  'sina.com',
  'naver.com',
  'daum.net',
  'mail.ru',
  'bk.ru',
  'inbox.ru',
  'list.ru',
  'rambler.ru',
  'web.de',
  't-online.de',
  'freenet.de',
  'orange.fr',
  'laposte.net',
  'free.fr',
  'libero.it',
  'virgilio.it',
  'rediffmail.com',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'bellsouth.net',
  'cox.net',
  'btinternet.com',
  'sky.com',
  'shaw.ca',
  'rogers.com',
  'bigpond.com',
  'seznam.cz',
  'wp.pl',
  'o2.pl',
  'interia.pl',
]);
const FREE_LABELS = new Set(['gmail', 'yahoo', 'ymail', 'rocketmail', 'hotmail', 'outlook', 'live', 'aol', 'gmx', 'yandex', 'ya']);

const DISPOSABLE_DOMAINS = new Set([
  'mailinator.com',
  'guerrillamail.com',
  'guerrillamail.net',
  'guerrillamailblock.com',
  'sharklasers.com',
  'grr.la',
  'yopmail.com',
  'yopmail.net',
  '10minutemail.com',
  '10minutemail.net',
  'temp-mail.org',
  'tempmail.com',
  'tempmail.net',
  'tempmailo.com',
  'throwawaymail.com',
  'trashmail.com',
  'trashmail.de',
  'getnada.com',
  'nada.email',
  'dispostable.com',
  'maildrop.cc',
  'mailnesia.com',
  'fakeinbox.com',
  'mintemail.com',
  'mohmal.com',
  'emailondeck.com',
  'spamgourmet.com',
  'burnermail.io',
  'moakt.com',
  'tempr.email',
  'discard.email',
  'mailcatch.com',
  'tmpmail.org',
  'tmpmail.net',
  'mytemp.email',
  'spam4.me',
  'getairmail.com',
  'mail.tm',
  'inboxkitten.com',
  'emailfake.com',
  'fakemail.net',
  'mvrht.net',
  'mailpoof.com',
]);
const DISPOSABLE_LABELS = new Set(['mailinator', 'guerrillamail', 'yopmail', '10minutemail', 'tempmail', 'temp-mail', 'trashmail']);

// Second-level public suffixes common enough to matter when finding a domain's registrable label.
const SECOND_LEVEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'com.au',
  'net.au',
  'org.au',
  'co.nz',
  'co.jp',
  'co.in',
  'co.za',
  'co.kr',
  'com.br',
  'com.cn',
  'com.mx',
  'com.sg',
  'com.tr',
  'com.ar',
  'com.hk',
  'com.tw',
  'co.il',
]);

const LEGAL_WORDS = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'pllc',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'plc',
  'pty',
  'oy',
  'ab',
  'as',
  'group',
  'holdings',
  'the',
  'com',
]);

const EMAIL_PATTERN = /^[^\s@]+@([^\s@]+\.[^\s@.]+)$/;

export function isEmailAddress(value: string): boolean {
  return EMAIL_PATTERN.test(value.trim());
}

/** The label a company registers: `techcorp` for mail.techcorp.co.uk. */
export function registrableLabel(domain: string): string {
  const parts = domain.toLowerCase().split('.').filter(Boolean);
  if (parts.length < 2) return parts[0] ?? '';
  const lastTwo = parts.slice(-2).join('.');
  const index = SECOND_LEVEL_SUFFIXES.has(lastTwo) && parts.length >= 3 ? parts.length - 3 : parts.length - 2;
  return parts[index];
}

export function classifyEmail(email: string | undefined, company: string | undefined): EmailKind {
  if (email === undefined) return 'missing';
  const match = EMAIL_PATTERN.exec(email.trim());
  if (!match) return 'missing';
  const domain = match[1].toLowerCase();
  const label = registrableLabel(domain);
  if (DISPOSABLE_DOMAINS.has(domain) || DISPOSABLE_LABELS.has(label)) return 'disposable';
  if (FREE_DOMAINS.has(domain) || FREE_LABELS.has(label)) return 'free_provider';
  return company !== undefined && domainMatchesCompany(label, company) ? 'company_domain' : 'business_domain';
}

/** Whether a domain label plausibly belongs to the company: name, first word, acronym or a prefix of it. */
export function domainMatchesCompany(label: string, company: string): boolean {
  const domainName = label.replace(/-/g, '');
  const words = company
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\.[a-z]{2,}$/, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !LEGAL_WORDS.has(word));
  if (words.length === 0 || domainName.length < 2) return false;
  const compact = words.join('');
  if (domainName === compact) return true;
  if (words[0].length >= 3 && domainName === words[0]) return true;
  if (compact.length >= 3 && domainName.startsWith(compact)) return true;
  const acronym = words.map((word) => word[0]).join('');
  return words.length >= 2 && domainName === acronym;
}

export type CompanySizeBand = '1-10' | '11-50' | '51-200' | '201-1000' | '1000+';

export const COMPANY_SIZE_VALUE: Record<CompanySizeBand, number> = {
  '1-10': 0.2,
  '11-50': 0.4,
  '51-200': 0.6,
  '201-1000': 0.8,
  '1000+': 1,
};

/** Value of a company with a name but no size, and of a lead with neither. */
export const COMPANY_NAME_ONLY_VALUE = 0.5;
export const NO_COMPANY_VALUE = 0;

export function bandForEmployees(employees: number): CompanySizeBand {
  if (employees <= 10) return '1-10';
  if (employees <= 50) return '11-50';
  if (employees <= 200) return '51-200';
  if (employees <= 1000) return '201-1000';
  return '1000+';
}

/**
 * Employees represented by a `company_size` value: a number, a numeric string, a range "51-200" (its upper
 * bound decides the band) or an open band "1000+" (more than its bound). Undefined when it is none of these.
 */
export function employeesFromSize(size: number | string): number | undefined {
  if (typeof size === 'number') return Number.isFinite(size) && size >= 0 ? size : undefined;
  const text = size.trim().replace(/,/g, '');
  const plain = /^(\d+)$/.exec(text);
  if (plain) return Number(plain[1]);
  const range = /^(\d+)\s*(?:-|–|to)\s*(\d+)$/.exec(text);
  if (range && Number(range[1]) <= Number(range[2])) return Number(range[2]);
  const open = /^(\d+)\s*\+$/.exec(text);
  if (open) return Number(open[1]) + 1;
  return undefined;
}
