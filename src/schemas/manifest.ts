import { z } from 'zod';

export const Stack = z.enum(['tt-xla', 'tt-metal']);
export type Stack = z.infer<typeof Stack>;

export const Target = z.enum(['tt', 'gpu', 'cpu']);
export type Target = z.infer<typeof Target>;

/** Safe for a path segment: probe ids name folders inside the run directory. */
export const ProbeId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" and "-" only, starting with a letter or digit')
  .refine((id) => !id.includes('..'), 'must not contain ".."');

export const ProbeManifest = z
  .object({
    $schema: z.string().optional(),
    id: ProbeId,
    title: z.string().min(1),
    description: z.string().optional(),
    stack: Stack,
    workload: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'a short kebab-case workload name such as "matmul" or "image-diffusion"'),
    command: z
      .array(z.string().min(1))
      .min(1)
      .describe('argv; a first element "python" means the probe Python environment'),
    timeoutSeconds: z.number().int().positive().max(86_400).default(300),
    needsDevice: z.boolean().default(true),
    requires: z
      .object({
        modules: z.array(z.string().min(1)).default([]),
        env: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/)).default([]),
      })
      .strict()
      .default({ modules: [], env: [] }),
    tags: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
    upstream: z.array(z.string().url()).default([]),
  })
  .strict();

export type ProbeManifest = z.infer<typeof ProbeManifest>;

/** A manifest plus where it was found. */
export interface LoadedProbe extends ProbeManifest {
  dir: string;
  manifestPath: string;
}
