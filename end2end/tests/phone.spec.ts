import { test, expect, hydrated, open, uniqueEmail } from './fixtures';

/*
 * On a 390 px phone: Manage > Users fits the screen, each user a card with
 * their menu in reach, and the top bar's links sit on one line.
 */

test.use({ viewport: { width: 390, height: 844 } });

test('on a phone each user is a card with every action in reach', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('katherine', testInfo.project.name);
  await open(page, '/manage/users', withJs);
  await page.getByRole('button', { name: 'Add User' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await dialog.getByLabel('Name', { exact: true }).fill('Katherine Johnson');
  await dialog.getByLabel('Email Address').fill(email);
  await dialog.getByRole('checkbox', { name: 'Send an invite email?' }).uncheck();
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await expect(page.getByRole('status')).toContainText('Katherine Johnson was added.');

  // Nothing runs off the side of the screen (measured once the stylesheet is in).
  await page.waitForLoadState('load');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  const card = page.getByRole('row').filter({ hasText: email });
  // Each cell says which column it is (as the table's header would).
  await expect(card.getByRole('cell', { name: 'Role: User' })).toBeVisible();
  await expect(card.getByRole('cell', { name: /^Status: Invite email not yet sent/ })).toBeVisible();
  const box = (await card.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);

  await card.getByRole('button', { name: 'Actions for Katherine Johnson' }).click();
  for (const item of ['Send invite email', 'Edit role & permissions', 'Deactivate user', 'Delete user']) {
    const menuitem = page.getByRole('menuitem', { name: item });
    await expect(menuitem).toBeVisible();
    const at = (await menuitem.boundingBox())!;
    expect(at.x).toBeGreaterThanOrEqual(0);
    expect(at.x + at.width).toBeLessThanOrEqual(390);
  }

  // The top bar's Inboxes and Manage sit on one baseline.
  const banner = page.getByRole('banner');
  const inboxes = (await banner.getByRole('link', { name: 'Inboxes' }).boundingBox())!;
  const manage = (await banner.getByText('Manage', { exact: true }).boundingBox())!;
  expect(Math.abs(inboxes.y + inboxes.height - (manage.y + manage.height))).toBeLessThanOrEqual(4);
});
