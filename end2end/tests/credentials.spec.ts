import { test, expect, hydrated, open } from './fixtures';

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
