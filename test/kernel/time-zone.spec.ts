import { isTimeZone } from '../../src/kernel/dates/time-zone.js';

describe('isTimeZone', () => {
  it('takes IANA names the runtime knows', () => {
    for (const name of ['Asia/Shanghai', 'America/New_York', 'UTC', 'Etc/GMT-8', 'Etc/GMT+5']) expect({ name, ok: isTimeZone(name) }).toEqual({ name, ok: true });
  });

  it("refuses UTC offsets, which Node 24's Intl accepts as time zones, and unknown names", () => {
    for (const name of ['+08:00', '-05:30', '+0800', '+08', '\u221205:00', '', 'Mars/Olympus', 'asia shanghai']) {
      expect({ name, ok: isTimeZone(name) }).toEqual({ name, ok: false });
    }
  });
});
