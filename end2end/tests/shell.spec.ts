import { test, expect, hydrated, open, owner, ownerEmail } from './fixtures';

test('the top bar takes the Owner to Manage > Users and names them', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/', withJs);
  await expect(page).toHaveURL(/\/manage\/users$/);

  const banner = page.getByRole('banner');
  await expect(banner.getByRole('link', { name: 'Roster' })).toBeVisible();
  await expect(banner).toContainText(owner.company);

  await banner.getByText('Manage', { exact: true }).click();
  await banner.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();

  await banner.getByText(owner.name).click();
  await expect(banner).toContainText(ownerEmail(testInfo.project.name));
  await expect(banner.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('the users table is a real table with the Owner in it', async ({ page }, testInfo) => {
  await open(page, '/manage/users', hydrated(testInfo));
  const table = page.getByRole('table', { name: 'Users in this account' });
  for (const column of ['Name', 'Email', 'Role', 'Inboxes', 'Status', 'Last active']) {
    await expect(table.getByRole('columnheader', { name: column })).toBeVisible();
  }
  await expect(table.getByRole('rowheader', { name: new RegExp(owner.name) })).toBeVisible();
});

test('an unknown address gets a page that says so', async ({ page }, testInfo) => {
  const response = await open(page, '/no/such/page', hydrated(testInfo));
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('the users table searches, sorts and shows the billing line', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/manage/users', withJs);
  // Other tests add users meanwhile: the line counts them all, at $20 each.
  const billing = page.getByText(/\d+ users? counts? toward monthly billing: \$[\d.,]+ per month \(\$20\.00 per user\)/);
  await expect(billing).toBeVisible();
  const [, count, total] = (await billing.textContent())!.match(/(\d+) users? counts?.*?\$([\d.]+) per month/)!;
  expect(Number(total)).toBe(Number(count) * 20);

  await page.getByLabel('Search users').fill('nobody-by-this-name');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=nobody-by-this-name/);
  await expect(page.getByText('No users match “nobody-by-this-name”.')).toBeVisible();

  await page.getByLabel('Search users').fill(owner.name.split(' ')[0]);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('rowheader', { name: new RegExp(owner.name) })).toBeVisible();

  await page.getByRole('link', { name: 'Email' }).click();
  await expect(page).toHaveURL(/sort=email&dir=asc/);
  await expect(page.getByRole('columnheader', { name: 'Email' })).toHaveAttribute('aria-sort', 'ascending');
});

test('company settings set how long invitations work', async ({ page }, testInfo) => {
  await open(page, '/settings/company', hydrated(testInfo));
  await expect(page.getByRole('heading', { name: 'Company settings' })).toBeVisible();
  await page.getByLabel('Invite validity (days)').fill('0');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByLabel('Invite validity (days)')).toHaveAccessibleDescription(/Choose a whole number of days from 1 to 30/);
  await page.getByLabel('Invite validity (days)').fill('10');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Now: 10 days.')).toBeVisible();
});

test('pages and the bundle arrive compressed with brotli', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  const encodings = new Map<string, string | undefined>();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/pkg/')) encodings.set(path.replace(/^.*\.(\w+)$/, '$1'), response.headers()['content-encoding']);
  });
  const response = await open(page, '/manage/users', withJs);
  expect(response?.headers()['content-encoding']).toBe('br');
  // The stylesheet always; the script and the wasm only with JavaScript on.
  const expected = withJs ? ['css', 'js', 'wasm'] : ['css'];
  await expect.poll(() => expected.filter((kind) => encodings.has(kind))).toEqual(expected);
  for (const kind of expected) expect(encodings.get(kind), `${kind} encoding`).toBe('br');
});
