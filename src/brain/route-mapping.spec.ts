import { describe, expect, it } from 'vitest';
import { normaliseRoutePath, routeToTaskType, taskTypeCandidates } from './route-mapping.js';

describe('route path → task type', () => {
  it.each([
    ['crm/lead-scoring', 'crm_lead_scoring'],
    ['analytics/generate-report', 'analytics_report_generation'],
    ['ecommerce/inventory-optimization', 'ecommerce_inventory_optimization'],
    ['crm/customer-segmentation', 'crm_customer_segmentation'],
    ['billing/revenue-analysis', 'billing_revenue_analysis'],
  ])('maps the documented route %s to %s', (route, type) => {
    expect(taskTypeCandidates(route)[0]).toBe(type);
  });

  it('accepts the Brain and crew forms of the same route', () => {
    for (const form of [
      '/api/brain/crew/crm/lead-scoring',
      '/api/crew/crm/lead-scoring/',
      'CRM/Lead-Scoring',
      'crm/lead-scoring?debug=1',
    ]) {
      expect(normaliseRoutePath(form)).toBe('crm/lead-scoring');
    }
  });

  it('rejects what is not a route path', () => {
    expect(normaliseRoutePath('../etc/passwd')).toBeUndefined();
    expect(normaliseRoutePath('')).toBeUndefined();
    expect(normaliseRoutePath('crm//lead')).toBeUndefined();
    expect(normaliseRoutePath('crm/lead scoring')).toBeUndefined();
    expect(taskTypeCandidates('a b')).toEqual([]);
  });

  it('falls back to the rest alone for types that do not repeat their domain', () => {
    expect(taskTypeCandidates('system/get-task-list')).toEqual(['system_get_task_list', 'get_task_list']);
    expect(taskTypeCandidates('system/probe')).toEqual(['system_probe', 'probe']);
    expect(taskTypeCandidates('get-task-list')).toEqual(['get_task_list']);
  });

  it('chooses the first candidate the catalogue knows', () => {
    const catalogue = new Set(['get_task_list', 'system_probe', 'crm_lead_scoring', 'analytics_report_generation']);
    const known = (type: string) => catalogue.has(type);
    expect(routeToTaskType('system/get-task-list', known)).toBe('get_task_list');
    expect(routeToTaskType('system/probe', known)).toBe('system_probe');
    expect(routeToTaskType('analytics/generate-report', known)).toBe('analytics_report_generation');
    expect(routeToTaskType('crm/lead-scoring', known)).toBe('crm_lead_scoring');
    expect(routeToTaskType('crm/unknown-thing', known)).toBeUndefined();
  });
});
