import { test, expect, hydrated, open } from './fixtures';

test('Company > Provisioning makes a SCIM token shown once, which SCIM accepts until it is revoked', async ({ page, playwright, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/manage/users', withJs);
  await page.getByText('Manage', { exact: true }).click();
  await page.getByRole('link', { name: 'Provisioning' }).click();
  await expect(page.getByRole('heading', { name: 'Provisioning', level: 1 })).toBeVisible();
  await expect(page.getByLabel('SCIM base URL')).toHaveValue(`${baseURL}/scim/v2`);
  await expect(page.getByText("SCIM groups are Roster's teams")).toBeVisible();

  await page.getByRole('button', { name: 'Generate SCIM token' }).click();
  const field = page.getByLabel('SCIM token', { exact: true });
  await expect(field).toHaveValue(/^rst_/);
  const token = await field.inputValue();
  await expect(page.getByText(/Last used: Never\./)).toBeVisible();

  // A real request with it, as an identity provider makes one.
  const scim = await playwright.request.newContext({ baseURL });
  const answered = await scim.get('/scim/v2/Users', { headers: { Authorization: `Bearer ${token}` } });
  expect(answered.status()).toBe(200);
  expect(answered.headers()['content-type']).toBe('application/scim+json');
  expect((await answered.json()).totalResults).toBeGreaterThan(0);

  // Shown once: after "Done", the page no longer holds it.
  await page.getByRole('button', { name: "Done, I've copied it" }).click();
  await expect(page.getByRole('heading', { name: 'Provisioning', level: 1 })).toBeVisible();
  await expect(page.getByLabel('SCIM token', { exact: true })).toHaveCount(0);
  await expect(page.getByText(/Last used: (?!Never)/)).toBeVisible();

  await page.getByRole('button', { name: 'Revoke SCIM token' }).click();
  await expect(page.getByText('This account has no SCIM token.')).toBeVisible();
  const refused = await scim.get('/scim/v2/Users', { headers: { Authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
  await scim.dispose();
});
