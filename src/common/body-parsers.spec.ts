import { nestsDeeperThan } from './body-parsers';

/** Padding past `max` bytes, so the short-body shortcut does not answer for the scan. */
const deeperThan3 = (json: string) => nestsDeeperThan(Buffer.from(json + ' '.repeat(2000)), 3);
const long = 'y'.repeat(100);

describe('nestsDeeperThan', () => {
  it('counts objects and arrays alike', () => {
    expect(deeperThan3('[[[]]]')).toBe(false);
    expect(deeperThan3('[{"a":[{}]}]')).toBe(true);
  });

  it('ignores brackets inside short and long strings, escaped quotes included', () => {
    expect(deeperThan3('["[[[[\\"[[[["]')).toBe(false);
    expect(deeperThan3(`["${long}\\"[[[["]`)).toBe(false);
    expect(deeperThan3(`{"${'['.repeat(50)}": "${'{'.repeat(5000)}"}`)).toBe(false);
  });

  it('ends a string at a quote after an even run of backslashes', () => {
    expect(deeperThan3('["\\\\",[[[[]]]]]')).toBe(true);
    expect(deeperThan3(`["${long}\\\\",[[[[]]]]]`)).toBe(true);
  });

  it('answers false for bodies too short or with too few brackets to nest that deep', () => {
    expect(nestsDeeperThan(Buffer.from('[[[[[]]]]]'), 1000)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(`{"a": "${'x'.repeat(5000)}"}`), 1000)).toBe(false);
    expect(nestsDeeperThan(Buffer.from('['.repeat(1001)), 1000)).toBe(true);
  });
});
