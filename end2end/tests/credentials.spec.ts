import { test, expect, expectNoSeriousViolations, hydrated, open, owner, ownerEmail, signIn } from './fixtures';

test('the Owner generates an API key, sees it until Done, and revokes it', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/profile/api-keys', withJs);
  const nav = page.getByRole('navigation', { name: 'Profile sections' });
  await expect(nav.getByRole('link', { name: 'API Keys' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'API Keys', level: 2 })).toBeVisible();
  await expect(page.getByText('You have no API key.')).toBeVisible();

  await page.getByRole('button', { name: 'Generate API key' }).click();
  const key = page.getByRole('textbox', { name: 'Your new API key' });
  await expect(key).toHaveValue(/^rk_[A-Za-z0-9_-]{43}$/);
  const value = await key.inputValue();
  await expect(page.getByText('Copy it now: it is shown only in this browser, for 10 minutes, and never again.')).toBeVisible();

  // A view does not use it up (a link from elsewhere must not make it vanish);
  // Done takes it off the page for good.
  await page.goto('about:blank');
  await open(page, '/profile/api-keys', withJs);
  await expect(page.getByRole('textbox', { name: 'Your new API key' })).toHaveValue(value);
  await page.getByRole('button', { name: "Done, I've copied it" }).click();
  await expect(page.getByRole('textbox', { name: 'Your new API key' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Your new API key' })).toHaveCount(0);
  await expect(page.getByText(value.slice(0, 10))).toBeVisible();
  await expect(page.getByText(value)).toHaveCount(0);

  await page.getByRole('button', { name: 'Revoke API key' }).click();
  await expect(page.getByText('You have no API key.')).toBeVisible();
});

test('My Apps: create an app, see its secret until Done, delete it', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/profile/my-apps', withJs);
  await expect(page.getByText("You haven't created any apps.")).toBeVisible();

  await page.getByLabel('App Name').fill('Roster CLI');
  await page.getByLabel('Redirect URL').fill('http://example.com/callback');
  await page.getByRole('button', { name: 'Create App' }).click();
  await expect(page.getByLabel('Redirect URL')).toHaveAccessibleDescription(/https:\/\//);

  if (!withJs) await page.getByLabel('App Name').fill('Roster CLI');
  await page.getByLabel('Redirect URL').fill('https://cli.example.com/callback');
  await page.getByRole('button', { name: 'Create App' }).click();
  await expect(page.getByRole('textbox', { name: 'App Secret' })).toHaveValue(/^rs_/);
  const row = page.getByRole('row').filter({ hasText: 'Roster CLI' });
  await expect(row.getByRole('cell', { name: /^app_/ })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('textbox', { name: 'App Secret' })).toHaveValue(/^rs_/);
  await page.getByRole('button', { name: "Done, I've copied it" }).click();
  await expect(page.getByRole('textbox', { name: 'App Secret' })).toHaveCount(0);
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Delete Roster CLI' }).click();
  await expect(page.getByText("You haven't created any apps.")).toBeVisible();
});

test('Authorized Apps says what will appear there', async ({ page }, testInfo) => {
  await open(page, '/profile/authorized-apps', hydrated(testInfo));
  const nav = page.getByRole('navigation', { name: 'Profile sections' });
  await expect(nav.getByRole('link', { name: 'Authorized Apps' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText(/No apps are authorized to use your account/)).toBeVisible();
});

test('an unknown profile section is a 404', async ({ page }, testInfo) => {
  const response = await page.goto('/profile/no-such-section');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  void testInfo;
});

test('an app asks to act for the Owner: Deny, then Allow, see it in Authorized Apps, revoke it', async ({ page, browser }, testInfo) => {
  const withJs = hydrated(testInfo);
  // The app's own site: whatever the browser is sent back with.
  await page.route('https://zap.example/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Zap Sync</title><h1>Back at Zap Sync</h1>' }),
  );
  await open(page, '/profile/my-apps', withJs);
  await page.getByLabel('App Name').fill('Zap Sync');
  await page.getByLabel('Redirect URL').fill('https://zap.example/callback');
  await page.getByRole('button', { name: 'Create App' }).click();
  const link = page.getByRole('link', { name: 'Authorization link of Zap Sync' });
  const address = `${await link.getAttribute('href')}&state=xyz-123`;

  // Signed out, the link leads through sign-in and back to the question.
  const elsewhere = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const signedOut = await elsewhere.newPage();
  await signedOut.goto(address);
  await expect(signedOut.getByRole('heading', { name: 'Sign in to Roster' })).toBeVisible();
  await signIn(signedOut, ownerEmail(testInfo.project.name), owner.password);
  await expect(signedOut.getByRole('heading', { name: 'Allow Zap Sync to use your Roster account?' })).toBeVisible();
  expect(new URL(signedOut.url()).searchParams.get('state')).toBe('xyz-123');
  await elsewhere.close();

  await open(page, address, withJs);
  await expect(page.getByRole('heading', { name: 'Allow Zap Sync to use your Roster account?' })).toBeVisible();
  await expect(page.getByText('Zap Sync was made by Grace Hopper of Northwind Support.')).toBeVisible();
  await expect(page.getByText('Either way, you go back to zap.example.')).toBeVisible();
  if (withJs) await expectNoSeriousViolations(page);
  await page.getByRole('button', { name: 'Deny' }).click();
  await expect(page.getByRole('heading', { name: 'Back at Zap Sync' })).toBeVisible();
  const denied = new URL(page.url());
  expect(denied.searchParams.get('error')).toBe('access_denied');
  expect(denied.searchParams.get('state')).toBe('xyz-123');

  await open(page, address, withJs);
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('heading', { name: 'Back at Zap Sync' })).toBeVisible();
  const allowed = new URL(page.url());
  expect(allowed.origin + allowed.pathname).toBe('https://zap.example/callback');
  expect(allowed.searchParams.get('code')).toMatch(/^rac_[A-Za-z0-9_-]{43}$/);
  expect(allowed.searchParams.get('state')).toBe('xyz-123');

  await open(page, '/profile/authorized-apps', withJs);
  const row = page.getByRole('row').filter({ hasText: 'Zap Sync' });
  await expect(row.getByRole('cell', { name: 'Grace Hopper' })).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Never' })).toBeVisible();
  await row.getByRole('button', { name: 'Revoke Zap Sync' }).click();
  await expect(page.getByText(/No apps are authorized to use your account/)).toBeVisible();

  // Leave My Apps as the other tests expect it.
  await open(page, '/profile/my-apps', withJs);
  await page.getByRole('button', { name: 'Delete Zap Sync' }).click();
  await expect(page.getByText("You haven't created any apps.")).toBeVisible();
});
