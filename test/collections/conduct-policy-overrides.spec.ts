import { CONDUCT_POLICY_PRESETS } from '../../src/policies/conduct-policy.js';
import { parseConductPolicyOverrides, withOverrides } from '../../src/policies/conduct-policy-overrides.js';
import { judgeContact } from '../../src/collections/domain/judge-contact.js';
import { InvalidConfigurationError, loadConfig } from '../../src/config/app-config.js';

describe('conduct policy overrides, per preset', () => {
  it('replace settings of the named preset only, stricter than its law, and name the changes in the policy', () => {
    const overrides = parseConductPolicyOverrides('{"cn":{"quietHours":{"start":"21:00","end":"09:00"},"maxConnectedCallsPerDay":2}}');
    expect(Array.isArray(overrides)).toBe(false);
    const byPreset = overrides as Exclude<typeof overrides, string[]>;
    const policy = withOverrides(CONDUCT_POLICY_PRESETS.cn, byPreset.cn!);
    expect(policy).toMatchObject({ name: 'cn+maxConnectedCallsPerDay,quietHours', quietHours: { start: '21:00', end: '09:00' }, maxConnectedCallsPerDay: 2 });
    const call = { loanId: 'L1', at: '2026-03-02T21:30:00+08:00', channel: 'phone' as const, party: 'borrower' as const };
    expect(judgeContact(call, ['Asia/Shanghai'], [], { policy, restrictions: [] }).map((v) => v.rule)).toEqual(['quiet-hours']);
    // Meant for cn, they never reach us: a USD call at 21:30 EDT stays in us quiet hours either way.
    expect(byPreset.us).toBeUndefined();
    expect(withOverrides(CONDUCT_POLICY_PRESETS.us, {})).toBe(CONDUCT_POLICY_PRESETS.us);
  });

  it('refuse a setting looser than the law its preset encodes, unless marked as a documented legal exception', () => {
    expect(parseConductPolicyOverrides('{"cn":{"quietHours":{"start":"22:00","end":"07:00"}}}')).toEqual([
      expect.stringContaining('cn.quietHours {"start":"22:00","end":"07:00"} is looser than the cn preset\'s law'),
    ]);
    expect(parseConductPolicyOverrides('{"us":{"rollingCallAttempts":{"max":8,"days":7},"daysAfterConversation":null,"thirdParty":"only-when-debtor-unreachable"}}')).toEqual([
      expect.stringContaining('us.rollingCallAttempts'),
      expect.stringContaining('us.daysAfterConversation'),
      expect.stringContaining('us.thirdParty'),
    ]);
    expect(parseConductPolicyOverrides('{"cn":{"maxConnectedCallsPerDay":null}}')).toEqual([expect.stringContaining('cn.maxConnectedCallsPerDay null is looser')]);
    const excepted = parseConductPolicyOverrides('{"cn":{"maxConnectedCallsPerDay":5,"legalException":"regulator letter 2026-17"}}');
    expect(excepted).toEqual({ cn: { maxConnectedCallsPerDay: 5 } });
    // Stricter is always allowed: a longer night, fewer calls, more days after a conversation.
    expect(Array.isArray(parseConductPolicyOverrides('{"us":{"quietHours":{"start":"20:00","end":"09:00"},"daysAfterConversation":10,"rollingCallAttempts":{"max":5,"days":7}}}'))).toBe(false);
  });

  it('name unknown presets, unknown settings at any depth, duplicate keys and malformed values, and stop the engine at start-up on them', () => {
    expect(parseConductPolicyOverrides('{"quietHours":{"start":"22:00","end":"08:00"}}')).toEqual([expect.stringContaining('quietHours is not a conduct preset')]);
    expect(parseConductPolicyOverrides('{"cn":{"quietHours":{"start":"25:00","end":"08:00"},"maxCalls":3}}')).toEqual([
      'cn.quietHours has an invalid value {"start":"25:00","end":"08:00"}',
      expect.stringContaining('cn.maxCalls is not a conduct setting'),
    ]);
    expect(parseConductPolicyOverrides('{"us":{"rollingCallAttempts":{"max":5,"days":7,"perDebt":false}}}')).toEqual([expect.stringContaining('us.rollingCallAttempts has an invalid value')]);
    expect(parseConductPolicyOverrides('{"cn":{"maxConnectedCallsPerDay":9,"maxConnectedCallsPerDay":2}}')).toEqual(['cn.maxConnectedCallsPerDay is given twice']);
    expect(parseConductPolicyOverrides('{"cn":{},"cn":{}}')).toEqual(['cn is given twice']);
    expect(parseConductPolicyOverrides('[1]')).toEqual([expect.stringContaining('must be a JSON object of presets')]);
    expect(() => loadConfig({ CONDUCT_POLICY_OVERRIDES: '{"us":{"daysAfterConversation":-1}}' })).toThrow(InvalidConfigurationError);
    expect(() => loadConfig({ CONDUCT_POLICY_OVERRIDES: '{"us":{"daysAfterConversation":-1}}' })).toThrow(/CONDUCT_POLICY_OVERRIDES us.daysAfterConversation has an invalid value -1/);
  });
});
