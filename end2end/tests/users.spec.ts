import { Browser, Page } from '@playwright/test';
import {
  test,
  expect,
  expectNoSeriousViolations,
  hydrated,
  open,
  owner,
  signIn,
  sql,
  uniqueEmail,
  waitForEmail,
  linkIn,
} from './fixtures';

const inviteSubject = `${owner.name} invited you to ${owner.company} on Roster`;
const newPassword = 'saffron quarry lantern echo';
// Contexts made in a test start from the project's signed-in state unless told otherwise.
const signedOut = { cookies: [], origins: [] };

/** Adds a user through the Add User dialog; leaves the page on the users table. */
async function addUser(page: Page, withJs: boolean, name: string, email: string, invite: boolean) {
  await open(page, '/manage/users', withJs);
  await page.getByRole('button', { name: 'Add User' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Email Address').fill(email);
  await dialog.getByLabel('Role').selectOption({ label: 'User' });
  await dialog.getByRole('checkbox', { name: /Support/ }).check();
  if (!invite) await dialog.getByRole('checkbox', { name: 'Send an invite email?' }).uncheck();
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await expect(page.getByRole('status')).toContainText(`${name} was added.`);
  await expect(dialog).toBeHidden();
}

function rowOf(page: Page, email: string) {
  return page.getByRole('row').filter({ hasText: email });
}

/** Opens the row's three-dot menu and picks `item`. */
async function fromRowMenu(page: Page, name: string, email: string, item: string) {
  await rowOf(page, email).getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Accepts an invitation in a fresh browser and checks the person is signed in. */
async function acceptInvite(browser: Browser, baseURL: string, withJs: boolean, link: string, name: string) {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: withJs, storageState: signedOut });
  const invitee = await context.newPage();
  await open(invitee, link, withJs);
  await expect(invitee.getByRole('heading', { name: 'Accept your invitation' })).toBeVisible();
  await expect(invitee.getByText(`${owner.name} invited you to join ${owner.company} on Roster.`)).toBeVisible();
  await expect(invitee.getByLabel('Name', { exact: true })).toHaveValue(name);
  await invitee.getByLabel('Name', { exact: true }).fill(`${name} Jr`);
  await invitee.getByLabel('Password', { exact: true }).fill(newPassword);
  await invitee.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(invitee.getByRole('heading', { name: `Welcome, ${name} Jr` })).toBeVisible();
  await context.close();
}

test('add a user with an invite; they accept it in their own browser and are signed in', async ({ page, browser, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('katherine', testInfo.project.name);
  const started = new Date();
  await addUser(page, withJs, 'Katherine Johnson', email, true);
  await expect(rowOf(page, email)).toContainText('Invited');

  const invite = await waitForEmail(email, inviteSubject, started);
  expect(invite.text).toContain('The link works until');
  await acceptInvite(browser, baseURL!, withJs, linkIn(invite.text, `${baseURL}/invite/`), 'Katherine Johnson');

  await open(page, `/manage/users?q=${encodeURIComponent(email)}`, withJs);
  await expect(rowOf(page, email)).toContainText('Active');
  await expect(rowOf(page, email)).toContainText('Katherine Johnson Jr');
});

test('add a user without an invite, then send it from the row menu', async ({ page, browser, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('radia', testInfo.project.name);
  const started = new Date();
  await addUser(page, withJs, 'Radia Perlman', email, false);

  const alert = rowOf(page, email).getByRole('button', { name: 'Invite email not yet sent' });
  await expect(alert).toHaveAccessibleDescription(/hasn't been invited yet/);
  await alert.focus();
  await expect(rowOf(page, email).getByRole('tooltip')).toBeVisible();

  await fromRowMenu(page, 'Radia Perlman', email, 'Send invite email');
  await expect(page.getByRole('status')).toContainText('An invite email is on its way to Radia Perlman');
  const invite = await waitForEmail(email, inviteSubject, started);
  await acceptInvite(browser, baseURL!, withJs, linkIn(invite.text, `${baseURL}/invite/`), 'Radia Perlman');
});

test('send the invite email from their profile, then resend it there; once accepted, Reset password takes its place', async ({ page, browser, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('frances', testInfo.project.name);
  const started = new Date();
  await addUser(page, withJs, 'Frances Allen', email, false);
  await expect(rowOf(page, email).getByRole('button', { name: 'Invite email not yet sent' }))
    .toHaveAccessibleDescription(/Send invite email in the user's menu or their profile/);

  await rowOf(page, email).getByRole('link', { name: 'Frances Allen' }).click();
  const nav = page.getByRole('navigation', { name: 'Profile sections' });
  await expect(nav.getByRole('button', { name: 'Reset password' })).toHaveCount(0);
  await nav.getByRole('button', { name: 'Send invite email' }).click();
  await expect(page.getByRole('status')).toContainText('An invite email is on its way to Frances Allen');
  await waitForEmail(email, inviteSubject, started);

  await rowOf(page, email).getByRole('link', { name: 'Frances Allen' }).click();
  await nav.getByRole('button', { name: 'Resend invite email' }).click();
  await expect(page.getByRole('status')).toContainText('Frances Allen');
  // The second invite email (the sink keeps whole seconds, so "after the
  // resend" could still find the first).
  const invite = await waitForEmail(email, inviteSubject, started, 2);
  await acceptInvite(browser, baseURL!, withJs, linkIn(invite.text, `${baseURL}/invite/`), 'Frances Allen');

  await open(page, '/manage/users', withJs);
  await rowOf(page, email).getByRole('link', { name: 'Frances Allen' }).click();
  await expect(nav.getByRole('button', { name: /invite email/ })).toHaveCount(0);
  await expect(nav.getByRole('button', { name: 'Reset password' })).toBeVisible();
});

test('Revoke invite from the row menu kills the link and says so; from the profile too', async ({ page, browser, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('hedy', testInfo.project.name);
  const started = new Date();
  await addUser(page, withJs, 'Hedy Lamarr', email, true);
  const invite = await waitForEmail(email, inviteSubject, started);
  const link = linkIn(invite.text, `${baseURL}/invite/`);

  await fromRowMenu(page, 'Hedy Lamarr', email, 'Revoke invite');
  await expect(page.getByRole('status')).toContainText("Hedy Lamarr's invite link no longer works.");
  await expect(rowOf(page, email).getByRole('button', { name: 'Invite revoked' })).toHaveAccessibleDescription(/can't join until you send a new one/);
  const context = await browser.newContext({ baseURL, javaScriptEnabled: withJs, storageState: signedOut });
  const invitee = await context.newPage();
  await open(invitee, link, withJs);
  await expect(invitee.getByRole('button', { name: 'Accept invitation' })).toHaveCount(0);
  await context.close();

  // A new invite from the menu, then revoked from the profile.
  await fromRowMenu(page, 'Hedy Lamarr', email, 'Send invite email');
  await expect(page.getByRole('status')).toContainText('An invite email is on its way to Hedy Lamarr');
  await rowOf(page, email).getByRole('link', { name: 'Hedy Lamarr' }).click();
  await page.getByRole('navigation', { name: 'Profile sections' }).getByRole('button', { name: 'Revoke invite' }).click();
  await expect(page.getByRole('status')).toContainText("Hedy Lamarr's invite link no longer works.");
  await expect(rowOf(page, email)).toContainText('Invite revoked');
});

test('Copy invite link shows a new link once, kills the emailed one, and the row says how each invite went', async ({ page, browser, baseURL }, testInfo) => {
  // Two invites, the outbox's round trip and an acceptance: 15-20 s alone,
  // past 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('katherine', testInfo.project.name);
  const started = new Date();
  await addUser(page, withJs, 'Katherine Johnson', email, true);
  const invite = await waitForEmail(email, inviteSubject, started);
  const emailed = linkIn(invite.text, `${baseURL}/invite/`);
  // The outbox has sent it: the row says so.
  await expect(async () => {
    await open(page, `/manage/users?q=${encodeURIComponent(email)}`, withJs);
    await expect(rowOf(page, email)).toContainText('Invite email: Sent', { timeout: 500 });
  }).toPass();

  await fromRowMenu(page, 'Katherine Johnson', email, 'Copy invite link');
  const field = page.getByRole('textbox', { name: 'Invite link for Katherine Johnson' });
  await expect(field).toBeVisible();
  const link = await field.inputValue();
  expect(link).toContain(`${baseURL}/invite/`);
  expect(link).not.toBe(emailed);
  await expect(page.getByText('no email was sent', { exact: false }).first()).toBeVisible();
  if (withJs) {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Copied', exact: true })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  } else {
    // Without JavaScript the field is there to select; no button pretends to copy.
    await expect(page.getByRole('button', { name: 'Copy link', exact: true })).toHaveCount(0);
  }
  await expect(rowOf(page, email)).toContainText('Invite link copied');
  await page.getByRole('button', { name: "Done, I've copied it" }).click();
  await expect(field).toHaveCount(0);

  // The profile says so too, and copies again from its navigation.
  await open(page, `/manage/users?q=${encodeURIComponent(email)}`, withJs);
  await rowOf(page, email).getByRole('link', { name: 'Katherine Johnson' }).click();
  await expect(page.getByText(/^Invite link copied .*: no email was sent\.$/)).toBeVisible();
  await page.getByRole('navigation', { name: 'Profile sections' }).getByRole('button', { name: 'Copy invite link' }).click();
  const again = page.getByRole('textbox', { name: 'Invite link for Katherine Johnson' });
  await expect(again).toBeVisible();
  const newest = await again.inputValue();
  expect(newest).not.toBe(link);

  const context = await browser.newContext({ baseURL, javaScriptEnabled: withJs, storageState: signedOut });
  const invitee = await context.newPage();
  for (const dead of [emailed, link]) {
    await open(invitee, dead, withJs);
    await expect(invitee.getByRole('heading', { name: 'This invite link was replaced' })).toBeVisible();
  }
  await context.close();
  await acceptInvite(browser, baseURL!, withJs, newest, 'Katherine Johnson');
});

test('an expired invite says so; a resend kills the old link and the new one works', async ({ page, browser, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('alan', testInfo.project.name);
  const started = new Date();
  await addUser(page, withJs, 'Alan Turing', email, true);
  const first = await waitForEmail(email, inviteSubject, started);
  const oldLink = linkIn(first.text, `${baseURL}/invite/`);

  sql(testInfo.project.name, `UPDATE invitations SET expires_at = now() - interval '1 minute'
    WHERE user_id = (SELECT id FROM users WHERE email = '${email}')`);
  await open(page, oldLink, withJs);
  await expect(page.getByRole('heading', { name: 'Invite expired' })).toBeVisible();
  await expect(page.getByText('Ask an administrator of your team to resend your invite email.')).toBeVisible();

  await open(page, `/manage/users?q=${encodeURIComponent(email)}`, withJs);
  await expect(rowOf(page, email).getByRole('button', { name: 'Invite expired' })).toBeVisible();
  await fromRowMenu(page, 'Alan Turing', email, 'Resend invite email');
  await expect(page.getByRole('status')).toContainText('Any earlier invite link no longer works.');
  const second = await waitForEmail(email, inviteSubject, started, 2);
  const newLink = linkIn(second.text, `${baseURL}/invite/`);
  expect(newLink).not.toBe(oldLink);

  await open(page, oldLink, withJs);
  await expect(page.getByRole('heading', { name: 'This invite link was replaced' })).toBeVisible();
  await acceptInvite(browser, baseURL!, withJs, newLink, 'Alan Turing');
});

test('a locked user gets a reset from the row menu, resets, and signs in', async ({ page, browser, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('linus', testInfo.project.name);
  const started = new Date();
  await addUser(page, withJs, 'Linus Torvalds', email, true);
  const invite = await waitForEmail(email, inviteSubject, started);
  await acceptInvite(browser, baseURL!, withJs, linkIn(invite.text, `${baseURL}/invite/`), 'Linus Torvalds');

  // Nine failures arranged in the data, the tenth through the sign-in page
  // (the per-IP sign-in limit is shared with the other tests).
  sql(testInfo.project.name, `UPDATE users SET failed_login_attempts = 9 WHERE email = '${email}'`);
  const context = await browser.newContext({ baseURL, javaScriptEnabled: withJs, storageState: signedOut });
  const them = await context.newPage();
  await open(them, '/sign-in', withJs);
  await signIn(them, email, 'not the right password at all');
  await expect(them.getByRole('alert')).toContainText("That email and password don't match");

  await open(page, `/manage/users?q=${encodeURIComponent(email)}`, withJs);
  const alert = rowOf(page, email).getByRole('button', { name: 'Too many failed login attempts' });
  await expect(alert).toHaveAccessibleDescription(/at least ten times/);
  const resetAt = new Date();
  await fromRowMenu(page, 'Linus Torvalds Jr', email, 'Reset password');
  await expect(page.getByRole('status')).toContainText('a link to reset their password');

  const reset = await waitForEmail(email, 'Reset your Roster password', resetAt);
  await open(them, linkIn(reset.text, `${baseURL}/reset/`), withJs);
  await them.getByLabel('New password').fill('copper willow midnight parade');
  await them.getByRole('button', { name: 'Reset password' }).click();
  await expect(them).toHaveURL(/\/sign-in\?notice=password-changed$/);
  await signIn(them, email, 'copper willow midnight parade');
  await expect(them.getByRole('heading', { name: 'Welcome, Linus Torvalds Jr' })).toBeVisible();
  await context.close();
});

test('Add User shows errors next to the fields and a duplicate email on the email field', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/manage/users', withJs);
  await page.getByRole('button', { name: 'Add User' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await dialog.getByLabel('Email Address').fill('grace.' + testInfo.project.name + '@NORTHWIND.example');
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(/name/i);
  await dialog.getByLabel('Name', { exact: true }).fill('Grace Again');
  if (!withJs) await dialog.getByLabel('Email Address').fill('grace.' + testInfo.project.name + '@NORTHWIND.example');
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await expect(dialog.getByLabel('Email Address')).toHaveAccessibleDescription('A user with this email address already exists.');
});

test('the Add User dialog takes focus, and Escape or Cancel give it back', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/manage/users', withJs);
  const button = page.getByRole('button', { name: 'Add User' });
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await button.click();
  await expect(dialog).toBeVisible();
  if (withJs) {
    await expect(dialog.getByLabel('Name', { exact: true })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();
    await button.click();
  }
  // Cancel closes it either way (without JavaScript through formmethod=dialog).
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  if (withJs) await expect(button).toBeFocused();
});

test('the row menu is a menu button: arrow keys move, Escape closes', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('ken', testInfo.project.name);
  await addUser(page, withJs, 'Ken Thompson', email, false);
  const menuButton = rowOf(page, email).getByRole('button', { name: 'Actions for Ken Thompson' });
  const first = page.getByRole('menuitem', { name: 'Send invite email' });
  if (!withJs) {
    // Without JavaScript the menu is a disclosure: a click opens and closes it.
    await menuButton.click();
    await expect(first).toBeVisible();
    await expect(page.getByRole('menuitem', { name: 'Edit role & permissions' })).toBeVisible();
    await menuButton.click();
    await expect(first).toBeHidden();
    return;
  }
  await menuButton.focus();
  await page.keyboard.press('ArrowDown');
  await expect(first).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Copy invite link' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Edit role & permissions' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Deactivate user' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Delete user' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(first).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menuButton).toBeFocused();
  await expect(first).toBeHidden();
});

test('invite people from a CSV file: check it, then create the rows that passed', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  const ada = uniqueEmail('ada', testInfo.project.name);
  await open(page, '/manage/users', withJs);
  await page.getByRole('link', { name: 'Invite from CSV' }).click();
  await expect(page.getByRole('heading', { name: 'Invite from CSV', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download the template CSV' })).toHaveAttribute(
    'href',
    '/manage/users/invite-from-csv/template.csv',
  );

  const file = page.getByLabel('CSV file');
  await file.setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`name,email,role,inboxes\nAda Lovelace,${ada},Administrator,Support\nNobody,not-an-address,User,\n`),
  });
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByRole('status')).toContainText('1 of 2 rows are ready to invite.');
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows.filter({ hasText: 'Nobody' })).toContainText('Email: ');
  await expect(rows.filter({ hasText: ada })).toContainText('OK');
  if (withJs) await expectNoSeriousViolations(page);

  await page.getByRole('button', { name: 'Create 1 user' }).click();
  await expect(page.getByRole('status')).toContainText('Created 1 user and sent their invite emails');
  await expect(rows.filter({ hasText: ada })).toContainText('Invited');
  await expect(page.getByRole('button', { name: 'Create 1 user' })).toHaveCount(0);
  await open(page, `/manage/users?q=${encodeURIComponent(ada)}`, withJs);
  await expect(rowOf(page, ada)).toContainText('Administrator');
  await expect(rowOf(page, ada)).toContainText('Invited');

  // A file that is not CSV text: the reason next to the field, nobody created.
  await open(page, '/manage/users/invite-from-csv', withJs);
  await page.getByLabel('CSV file').setInputFiles({
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]),
  });
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByText('This is not a CSV file Roster can read')).toBeVisible();
  await expect(page.getByLabel('CSV file')).toHaveAttribute('aria-invalid', 'true');
});
