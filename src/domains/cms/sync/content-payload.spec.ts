import { describe, expect, it } from 'vitest';
import { parseContentPayload } from './content-payload.js';

describe('CMS sync payload', () => {
  it('normalises items: derived slug, defaults, ISO published_at', () => {
    expect(
      parseContentPayload(
        JSON.stringify({
          items: [
            { id: 1, title: ' Spring Sale: 30 % off! ', status: 'published', published_at: '2026-03-01T10:00:00+01:00' },
            {
              external_id: 'b',
              title: 'B',
              slug: 'custom-b',
              body: '<p>x</p>',
              format: 'html',
              keywords: ['k'],
              author: 'Ann',
              meta_description: null,
            },
          ],
        }),
      ),
    ).toEqual({
      ok: true,
      items: [
        {
          externalId: '1',
          title: 'Spring Sale: 30 % off!',
          slug: 'spring-sale-30-off',
          body: '',
          format: 'markdown',
          metaDescription: null,
          keywords: [],
          status: 'published',
          publishedAt: '2026-03-01T09:00:00.000Z',
          author: null,
        },
        {
          externalId: 'b',
          title: 'B',
          slug: 'custom-b',
          body: '<p>x</p>',
          format: 'html',
          metaDescription: null,
          keywords: ['k'],
          status: 'draft',
          publishedAt: null,
          author: 'Ann',
        },
      ],
    });
  });

  it('reports every problem of a bad payload (up to 10) instead of importing part of it', () => {
    expect(
      parseContentPayload(
        JSON.stringify([
          { id: 'a', title: 'Ok' },
          { id: 'b' },
          { id: 'c', title: 'C', status: 'live' },
          { id: 'a', title: 'Again' },
          { id: 'd', title: 'Ok' },
          { id: 'e', title: 'E', published_at: 'yesterday' },
        ]),
      ),
    ).toEqual({
      ok: false,
      problems: [
        'item 1 (b): title must be a string of 1–300 characters',
        'item 2 (c): status must be draft or published',
        'item 3: id "a" appears twice',
        'item 4 (d): slug "ok" appears twice',
        'item 5 (e): published_at must be an ISO 8601 date-time',
      ],
    });
    expect(parseContentPayload('not json')).toEqual({ ok: false, problems: ['the body is not JSON (starts with "not json")'] });
    expect(parseContentPayload('{"total": 0}')).toEqual({
      ok: false,
      problems: ['expected a JSON array of content items or an object with items, records or data'],
    });
  });
});
