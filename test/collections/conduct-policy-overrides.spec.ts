import { CONDUCT_POLICY_PRESETS } from '../../src/collections/domain/conduct-policy.js';
import { parseConductPolicyOverrides, withOverrides } from '../../src/collections/domain/conduct-policy-overrides.js';
import { judgeContact } from '../../src/collections/domain/judge-contact.js';
import { InvalidConfigurationError, loadConfig } from '../../src/config/app-config.js';

describe('conduct policy overrides', () => {
  it('replaces preset settings, removes a limit with null, and names the changes in the policy', () => {
    const overrides = parseConductPolicyOverrides('{"quietHours":{"start":"21:00","end":"09:00"},"maxConnectedCallsPerDay":null}');
    expect(Array.isArray(overrides)).toBe(false);
    const policy = withOverrides(CONDUCT_POLICY_PRESETS.cn, overrides as object);
    expect(policy).toMatchObject({ name: 'cn+maxConnectedCallsPerDay,quietHours', quietHours: { start: '21:00', end: '09:00' }, maxConnectedCallsPerDay: undefined });
    const context = { policy, timeZone: 'Asia/Shanghai', history: [], restrictions: [] };
    expect(judgeContact({ loanId: 'L1', at: '2026-03-02T21:30:00+08:00', channel: 'phone', party: 'borrower' }, context).map((v) => v.rule)).toEqual(['quiet-hours']);
    expect(withOverrides(CONDUCT_POLICY_PRESETS.us, {})).toBe(CONDUCT_POLICY_PRESETS.us);
  });

  it('names unknown and malformed settings, and stops the engine at start-up on them', () => {
    expect(parseConductPolicyOverrides('{"quietHours":{"start":"25:00","end":"08:00"},"maxCalls":3}')).toEqual([
      'quietHours has an invalid value {"start":"25:00","end":"08:00"}',
      expect.stringContaining('maxCalls is not a conduct setting'),
    ]);
    expect(parseConductPolicyOverrides('[1]')).toEqual(['must be a JSON object']);
    expect(() => loadConfig({ CONDUCT_POLICY_OVERRIDES: '{"daysAfterConversation":-1}' })).toThrow(InvalidConfigurationError);
    expect(() => loadConfig({ CONDUCT_POLICY_OVERRIDES: '{"daysAfterConversation":-1}' })).toThrow(/CONDUCT_POLICY_OVERRIDES daysAfterConversation has an invalid value -1/);
  });
});
