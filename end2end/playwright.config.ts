import { defineConfig } from '@playwright/test';
import path from 'node:path';

// Two Roster servers, each on its own fresh database (scripts/test creates
// them): one driven with JavaScript on (hydrated), one with it off.
const root = path.resolve(__dirname, '..');
const databaseServer = process.env.ROSTER_E2E_DATABASE_URL;
if (!databaseServer) {
  throw new Error('ROSTER_E2E_DATABASE_URL is not set: run the end-to-end tests with ./scripts/test');
}

const servers = [
  { project: 'hydrated', port: 3101, database: 'roster_e2e_hydrated', javaScriptEnabled: true },
  { project: 'no-js', port: 3102, database: 'roster_e2e_nojs', javaScriptEnabled: false },
];

export default defineConfig({
  testDir: './tests',
  reporter: 'list',
  workers: 2,
  // A bound for a stuck test, not a speed check (scripts/bench measures
  // speed): the longer walks take 20-30 s when the full suite shares two
  // cores with the server and its password hashing.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: servers.flatMap((server) => {
    const use = { baseURL: `http://127.0.0.1:${server.port}`, javaScriptEnabled: server.javaScriptEnabled };
    return [
      // The first-run setup must happen before anything else on that server.
      { name: `${server.project}-setup`, testMatch: /first-run\.spec\.ts/, use },
      {
        name: server.project,
        // axe audits from inside the page, so it needs JavaScript; the
        // server sends both projects the same markup.
        testIgnore: server.javaScriptEnabled
          ? /(first-run|recovery|deletion|deactivation|required-two-factor)\.spec\.ts/
          : /(first-run|recovery|accessibility|deletion|deactivation|required-two-factor)\.spec\.ts/,
        dependencies: [`${server.project}-setup`],
        use: { ...use, storageState: `test-results/.auth/${server.project}.json` },
      },
      // Deleting and deactivating check the billing line's count, which any
      // test adding a user on the same server would move: each runs alone
      // on its server, one after the other.
      {
        name: `${server.project}-deletion`,
        testMatch: /deletion\.spec\.ts/,
        dependencies: [server.project],
        use: { ...use, storageState: `test-results/.auth/${server.project}.json` },
      },
      {
        name: `${server.project}-deactivation`,
        testMatch: /deactivation\.spec\.ts/,
        dependencies: [`${server.project}-deletion`],
        use: { ...use, storageState: `test-results/.auth/${server.project}.json` },
      },
      // Requiring two-factor of a role shuts that role's sessions out of
      // everything but the set-up: alone on its server too.
      {
        name: `${server.project}-security`,
        testMatch: /required-two-factor\.spec\.ts/,
        dependencies: [`${server.project}-deactivation`],
        use: { ...use, storageState: `test-results/.auth/${server.project}.json` },
      },
      // Locking and resetting the Owner's password ends every session, so
      // these run once the others are done.
      {
        name: `${server.project}-recovery`,
        testMatch: /recovery\.spec\.ts/,
        dependencies: [`${server.project}-security`],
        use,
      },
    ];
  }),
  webServer: servers.map((server) => ({
    command: `${root}/target/debug/server serve`,
    cwd: root,
    url: `http://127.0.0.1:${server.port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: `${databaseServer}/${server.database}`,
      SMTP_URL: process.env.ROSTER_TEST_SMTP_URL ?? 'smtp://127.0.0.1:2526',
      PUBLIC_URL: `http://127.0.0.1:${server.port}`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${server.port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      GEOIP_DATABASE: 'server/tests/fixtures/geoip-test.mmdb',
      RUST_LOG: 'warn',
    },
  })),
});
