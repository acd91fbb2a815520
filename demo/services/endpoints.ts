import type { Endpoint } from './resource-server';

/** What each internal service serves and requires: a little fixed data, enough to be real responses. */
const MEMBERS = ['USER', 'MANAGER', 'ADMIN'] as const;
const STAFF = ['MANAGER', 'ADMIN'] as const;
const orders = Array.from({ length: 5 }, (_, n) => ({ id: 1000 + n, customer: 10 + n, total: 25 + n * 7.5, status: n % 2 ? 'shipped' : 'open' }));

export const ORDERS: readonly Endpoint[] = [
  { method: 'GET', pattern: /^\/orders$/, scopes: ['orders:read'], roles: MEMBERS, answer: () => ({ orders }) },
  { method: 'POST', pattern: /^\/orders$/, scopes: ['orders:write'], roles: MEMBERS, answer: () => ({ created: true }) },
];

export const PAYMENTS: readonly Endpoint[] = [
  { method: 'GET', pattern: /^\/payments$/, scopes: ['payments:read'], roles: STAFF, answer: () => ({ payments: orders.map(({ id, total }) => ({ order: id, amount: total })) }) },
  { method: 'POST', pattern: /^\/refunds$/, scopes: ['payments:write'], roles: ['ADMIN'], answer: () => ({ refunded: true }) },
  { method: 'GET', pattern: /^\/reports\/[a-z-]{1,32}$/, scopes: ['payments:read'], roles: STAFF, answer: (path) => ({ report: path.split('/').pop(), rows: 3 }) },
];

export const CUSTOMERS: readonly Endpoint[] = [
  { method: 'GET', pattern: /^\/customers$/, scopes: ['customers:read'], roles: STAFF, answer: () => ({ customers: orders.map(({ customer }) => ({ id: customer, name: `Customer ${customer}` })) }) },
  { method: 'DELETE', pattern: /^\/customers\/\d{1,9}$/, scopes: ['customers:write'], roles: ['ADMIN'], answer: () => ({ deleted: true }) },
  { method: 'GET', pattern: /^\/admin\/users$/, scopes: ['admin'], roles: ['ADMIN'], answer: () => ({ users: 8 }) },
];
