// Writing issues out: joined text, field maps, pointers.

import { issuePointer, issuesByField, joinIssues } from '../../lib/issues';

describe('issues', () => {
  const issues = [
    { path: 'email', message: 'is required' },
    { path: '', message: 'Malformed request body' },
    { path: 'email', message: 'must be an email' },
  ];

  it('joins "path: message" with "; ", an empty path as the message alone', () => {
    expect(joinIssues(issues)).toBe('email: is required; Malformed request body; email: must be an email');
    expect(joinIssues([])).toBe('');
  });

  it('groups messages by field, the empty path under "body", a __proto__ field as a plain key', () => {
    expect(JSON.stringify(issuesByField(issues))).toBe('{"email":["is required","must be an email"],"body":["Malformed request body"]}');
    const odd = issuesByField([{ path: '__proto__', message: 'x' }]);
    expect(JSON.stringify(odd)).toBe('{"__proto__":["x"]}');
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
  });

  it('derives RFC 6901 pointers from dotted paths', () => {
    expect(issuePointer('items.0.id')).toBe('#/items/0/id');
    expect(issuePointer('')).toBe('#/');
    expect(issuePointer('a/b.c~d')).toBe('#/a~1b/c~0d');
    expect(issuePointer('first name')).toBe('#/first%20name');
  });
});
