import { test, expect, hydrated, open, owner, uniqueEmail, waitForEmail } from './fixtures';

test('the Owner edits their own profile from the user menu, and it survives a reload', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/profile/profile', withJs);
  const nav = page.getByRole('navigation', { name: 'Profile sections' });
  await expect(nav.getByRole('link', { name: 'Profile' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Active Sessions' })).toBeVisible();
  await page.getByLabel('Job title').fill('Head of Support');
  await page.getByLabel('Phone').fill('call me');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Phone')).toHaveAccessibleDescription(/Enter a phone number/);

  if (!withJs) await page.getByLabel('Job title').fill('Head of Support');
  await page.getByLabel('Phone').fill('+1 (555) 010-2345');
  await page.getByLabel('Time zone').selectOption('Europe/Lisbon');
  await page.getByRole('radio', { name: /12-hour/ }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Profile saved.');

  await page.reload();
  await expect(page.getByLabel('Job title')).toHaveValue('Head of Support');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Lisbon');
  await expect(page.getByRole('radio', { name: /12-hour/ })).toBeChecked();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(owner.name);
});

test('an admin opens a user with Edit role & permissions and edits the same fields', async ({ page }, testInfo) => {
  // A walk through a dozen sections with an email on the way: 10-15 s
  // alone, past 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('barbara', testInfo.project.name);
  await open(page, '/manage/users', withJs);
  await page.getByRole('button', { name: 'Add User' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await dialog.getByLabel('Name', { exact: true }).fill('Barbara Liskov');
  await dialog.getByLabel('Email Address').fill(email);
  await dialog.getByRole('checkbox', { name: 'Send an invite email?' }).uncheck();
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await expect(page.getByRole('status')).toContainText('Barbara Liskov was added.');

  const row = page.getByRole('row').filter({ hasText: email });
  await row.getByRole('button', { name: 'Actions for Barbara Liskov' }).click();
  await page.getByRole('menuitem', { name: 'Edit role & permissions' }).click();
  await expect(page.getByRole('heading', { name: 'Barbara Liskov', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Email Address')).toHaveValue(email);
  const nav = page.getByRole('navigation', { name: 'Profile sections' });
  await expect(nav.getByRole('link', { name: 'Profile' })).toHaveAttribute('aria-current', 'page');

  await page.getByLabel('Pronouns').fill('she/her');
  await page.getByLabel('Alternate emails').fill(`b.liskov@mit.example\n${email}`);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByLabel('Alternate emails')).toHaveAccessibleDescription(/already the main email address/);
  if (!withJs) await page.getByLabel('Pronouns').fill('she/her');
  await page.getByLabel('Alternate emails').fill('b.liskov@mit.example');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Profile saved.');
  await page.reload();
  await expect(page.getByLabel('Pronouns')).toHaveValue('she/her');
  await expect(page.getByLabel('Alternate emails')).toHaveValue('b.liskov@mit.example');

  // An admin changes the address without a password; the old one is told.
  const newEmail = uniqueEmail('barbara.l', testInfo.project.name);
  await open(page, new URL(page.url()).pathname, withJs);
  await expect(page.getByRole('status')).toHaveCount(0);
  await expect(page.getByLabel('Current password')).toHaveCount(0);
  await page.getByLabel('Email Address').fill(newEmail);
  await page.getByRole('button', { name: 'Change email' }).click();
  await expect(page.getByRole('status')).toHaveText('Profile saved.');
  await page.reload();
  await expect(page.getByLabel('Email Address')).toHaveValue(newEmail);
  const told = await waitForEmail(email, 'Your Roster email address was changed');
  expect(told.text).toContain(newEmail);

  await nav.getByRole('link', { name: 'Inbox Access' }).click();
  await expect(nav.getByRole('link', { name: 'Inbox Access' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('checkbox', { name: /Sales/ }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Inbox Access saved.');
  await page.reload();
  await expect(page.getByRole('checkbox', { name: /Sales/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Billing/ })).not.toBeChecked();

  await nav.getByRole('link', { name: 'Role' }).click();
  await expect(page.getByLabel('Role')).toHaveValue('user');
  await page.getByLabel('Role').selectOption({ label: 'Administrator' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Role saved.');
  await page.reload();
  await expect(page.getByLabel('Role')).toHaveValue('administrator');
  await expect(page.getByRole('paragraph').filter({ hasText: /^Administrator$/ })).toBeVisible();

  await nav.getByRole('link', { name: 'Security' }).click();
  await expect(page.getByText('Two-factor authentication is off.')).toBeVisible();
  await expect(page.getByText('Only Barbara Liskov can set up or turn off two-factor authentication')).toBeVisible();

  await nav.getByRole('link', { name: 'Active Sessions' }).click();
  await expect(page.getByText('Barbara Liskov is not signed in anywhere.')).toBeVisible();
  await nav.getByRole('link', { name: 'API Keys' }).click();
  await expect(page.getByText('Barbara Liskov has no API key. Only they can create one.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Generate API key' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'My Apps' }).click();
  await expect(page.getByText("Barbara Liskov hasn't created any apps.")).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create App' })).toHaveCount(0);
});

test('everyone sets or clears their own Auto Bcc', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/profile/auto-bcc', withJs);
  await page.getByLabel('Auto Bcc address').fill('not an address');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Auto Bcc address')).toHaveAccessibleDescription(/email/i);
  await page.getByLabel('Auto Bcc address').fill('archive@northwind.example');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Auto Bcc saved.');
  await page.reload();
  await expect(page.getByLabel('Auto Bcc address')).toHaveValue('archive@northwind.example');
});

test('notifications: one checkbox per event and channel, saved', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/profile/notifications', withJs);
  const mentionEmail = page.getByRole('checkbox', { name: 'Email: I am @mentioned' });
  const newBrowser = page.getByRole('checkbox', { name: 'Browser: A new conversation is created' });
  await expect(mentionEmail).toBeChecked();
  await expect(newBrowser).toBeChecked();
  await mentionEmail.uncheck();
  await page.getByRole('checkbox', { name: 'Email: A new conversation is created' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Notifications saved.');
  await page.reload();
  await expect(mentionEmail).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Email: A new conversation is created' })).toBeChecked();
  await expect(newBrowser).toBeChecked();
});

test('a profile photo: a fake is refused next to the field, a real one is shown, then removed', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/profile/profile', withJs);
  await page.getByLabel('Photo').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('<svg onload=alert(1)>') });
  await page.getByRole('button', { name: 'Upload photo' }).click();
  await expect(page.getByLabel('Photo')).toHaveAccessibleDescription(/Upload a PNG, JPEG or WebP image/);
  await expect(page.locator('img.avatar-large')).toHaveCount(0);

  const onePixel = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  await page.getByLabel('Photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: onePixel });
  await page.getByRole('button', { name: 'Upload photo' }).click();
  await expect(page.getByRole('status')).toHaveText('Profile saved.');
  const photo = page.locator('img.avatar-large');
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(256);

  await page.getByRole('button', { name: 'Remove photo' }).click();
  await expect(page.locator('img.avatar-large')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove photo' })).toHaveCount(0);
});

test('a photo over 2 MB comes back with the error next to the field, not a broken connection', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/profile/profile', withJs);
  const onePixel = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  const fiveMegabytes = Buffer.concat([onePixel, Buffer.alloc(5 * 1024 * 1024)]);
  await page.getByLabel('Photo').setInputFiles({ name: 'holiday.png', mimeType: 'image/png', buffer: fiveMegabytes });
  await page.getByRole('button', { name: 'Upload photo' }).click();
  await expect(page).toHaveURL(/\/profile\/profile/);
  await expect(page.getByLabel('Photo')).toHaveAccessibleDescription(/PNG, JPEG or WebP, up to 2 MB/);
  await expect(page.getByLabel('Photo')).toHaveAccessibleDescription(/A photo can be at most 2 MB\./);
  await expect(page.locator('img.avatar-large')).toHaveCount(0);
});
