// The names test/vectors.json uses (the host's JSON names) mapped to the numbers of
// assembly/abi.ts, for runtimes that only see numbers: the C harness and the spec-test script.
// Everything is inverted from the host's STATUS_CODES and NAMES, so no name is restated here.

import { NAMES, STATUS_CODES } from "../../host/index.ts";
import { Status, MarkingKind, Option } from "../../assembly/abi.ts";

/** Error code → Status, inverted from the host's STATUS_CODES (every status but OK). */
export const ERROR_CODES: Readonly<Record<string, number>> = Object.freeze(Object.fromEntries(
  Object.entries(STATUS_CODES)
    .filter(([status]) => Number(status) !== Status.OK)
    .map(([status, name]) => [name, Number(status)]),
));

/** name → number, inverted from one of the host's NAMES maps. */
function invert(map: Readonly<Record<number, string>>): Readonly<Record<string, number>> {
  return Object.freeze(Object.fromEntries(Object.entries(map).map(([n, name]) => [name, Number(n)])));
}

export const PROFILE_CODES: Readonly<Record<string, number>> = NAMES.profiles;
export const FORMAT_CODES = invert(NAMES.formats);
export const CLASS_CODES = invert(NAMES.classes);
/** Expected-marking kinds; the vectors write `"kind": null` for MarkingKind.UNDEFINED. */
export const KIND_CODES = invert(NAMES.kinds);
export const KIND_UNDEFINED: number = MarkingKind.UNDEFINED;
export const VERDICT_CODES = invert(NAMES.verdicts);
export const REASON_CODES = invert(NAMES.reasons);
export const WARNING_BITS = invert(NAMES.warnings);

/** The host's option names (VerifyOptions) as Option bits; `profile` is passed separately. */
export const OPTION_BITS: Readonly<Record<string, number>> = {
  "accept3DigitOnPrecise": Option.ACCEPT_3DIGIT_PRECISE,
  "marked0402": Option.MARKED_0402,
};

/** Looks a name up, failing loudly: a vector with an unknown name must not pass by default. */
export function code(map: Readonly<Record<string, number>>, name: string, what: string): number {
  const value = Object.hasOwn(map, name) ? map[name] : undefined;
  if (value === undefined) throw new Error(`test/vectors.json: unknown ${what} "${name}"`);
  return value;
}
