import { formatTimeLeft } from '../../src/cli/time-left.js';

describe('a progress bar’s time left', () => {
  it.each([
    // Rounded before it is split into minutes: cli-progress's own formatter prints 238 and 239 as "3m60s", 3599 as "59m60s".
    [238, '4m00s'],
    [239, '4m00s'],
    [237, '3m55s'],
    [3599, '1h00m'],
    // To the second up to ten seconds, then to five.
    [0, '0s'],
    [9.6, '10s'],
    [42, '40s'],
    [58, '1m00s'],
    [65, '1m05s'],
    // Hours and minutes past an hour.
    [3725, '1h02m'],
    [7199, '2h00m'],
  ])('%s s reads %s', (seconds, shown) => {
    expect(formatTimeLeft(seconds)).toBe(shown);
  });

  // cli-progress passes '0' before the first update, then 'INF' or 'NULL' until it has a rate.
  it.each(['0', 'INF', 'NULL', Number.POSITIVE_INFINITY])('says it does not know, rather than a nonsense figure, for %s', (timeLeft) => {
    expect(formatTimeLeft(timeLeft)).toBe('?');
  });
});
