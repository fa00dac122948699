import { demoEnabled } from '../../../apps/cli/src/start/demo/demo-start';

describe('whether npm start sets up the demo shop', () => {
  it('does so by default on the embedded database, and never by default into a database the user named', () => {
    expect(demoEnabled({})).toBe(true);
    expect(demoEnabled({ DATABASE_URL: 'postgres://prod/db' })).toBe(false);
  });

  it('follows OPSLOOP_DEMO when it is set, either way', () => {
    for (const off of ['0', 'false', 'No', ' off ']) expect(demoEnabled({ OPSLOOP_DEMO: off })).toBe(false);
    expect(demoEnabled({ OPSLOOP_DEMO: '1', DATABASE_URL: 'postgres://staging/db' })).toBe(true);
  });
});
