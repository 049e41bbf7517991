import type { Stack } from '../schemas/manifest.js';
import type { DeviceReport } from '../schemas/device.js';
import type { StackSetting, StackSettings } from '../config/stack-settings.js';
import { TtprobeError, invalidInput } from '../errors.js';
import { stackEnv } from './env-profile.js';
import { checkStarts } from './python-env.js';

function notStarting(stack: Stack, setting: StackSetting, error: string): TtprobeError {
  const problem = `the ${stack} stack's interpreter ${setting.python} ${error}`;
  const origin = setting.origin;
  if (origin?.file && origin.field) return invalidInput(origin.file, origin.field, problem);
  return new TtprobeError('invalid-input', `${problem} (from ${origin?.what ?? 'the run options'})`);
}

/**
 * An interpreter that is missing or cannot start is bad input: refused before any probe runs,
 * naming it and the stack, rather than a run whose every probe of that stack is skipped.
 */
export async function requireInterpreters(stacks: Stack[], settings: StackSettings, baseEnv: NodeJS.ProcessEnv, device?: DeviceReport): Promise<void> {
  const checks = await Promise.all(
    stacks.map(async (stack) => {
      // Detection has just started this interpreter with this stack's environment: no second start.
      const seen = device?.stacks[stack].interpreter;
      if (seen?.path === settings[stack].python) return { stack, check: seen };
      return { stack, check: await checkStarts(settings[stack].python, stackEnv(stack, baseEnv, settings[stack])) };
    }),
  );
  const failed = checks.find((c) => !c.check.starts);
  if (failed) throw notStarting(failed.stack, settings[failed.stack], failed.check.error!);
}
