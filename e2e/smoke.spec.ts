import { expect, test } from '@playwright/test';

test('the bus runs in a page served by Vite', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#out')).toHaveText('ready');
  await page.locator('body').click();
  await expect(page.locator('#out')).toContainText('"eventsPublished":1');
  const result = JSON.parse((await page.locator('#out').textContent()) ?? '{}') as { seen: string[] };
  expect(result.seen).toEqual(['Clicked', 'all:Clicked']);
});
