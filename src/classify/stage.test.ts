import { describe, expect, it } from 'vitest';
import { stageIndex, stageLabel, stageReport, stageShift } from './stage.js';

describe('stage reports, labels and shifts', () => {
  it('a failure happened in the last stage written; tt-xla markers map to the compiler stage', () => {
    const stages = stageReport({ sequence: ['import', 'setup', 'lower', 'compile', 'execute', 'compare', 'lower', 'compile'], compilerMarker: 'TTMLIR_COMPILATION_START', status: 'fail' });
    expect(stages).toEqual({ reached: ['import', 'setup', 'lower', 'compile', 'execute', 'compare'], last: 'compile', failedAt: 'compile', compiler: { marker: 'TTMLIR_COMPILATION_START', stage: 'tt-mlir' } });
    expect(stageLabel({ status: 'fail', stages })).toBe('failed at compile (TT-MLIR)');
    expect(stageLabel({ status: 'timeout', stages: stageReport({ sequence: ['execute'], compilerMarker: 'RUNTIME_EXECUTION_START', status: 'timeout' }) })).toBe('timed out at execute (runtime)');
    expect(stageLabel({ status: 'crash', stages: stageReport({ sequence: ['lower'], compilerMarker: 'FE_COMPILATION_START', status: 'crash' }) })).toBe('crashed at lower (frontend)');
  });

  it('passes, skips and outcomes without stages have no label; unknown markers are kept without a stage', () => {
    const passed = stageReport({ sequence: ['import', 'compare'], compilerMarker: 'RUNTIME_EXECUTION_START', status: 'pass' });
    expect(passed).toMatchObject({ failedAt: null, compiler: { stage: 'runtime' } });
    expect(stageLabel({ status: 'pass', stages: passed })).toBeNull();
    expect(stageReport({ sequence: [], compilerMarker: null, status: 'fail' })).toBeNull();
    expect(stageLabel({ status: 'fail', stages: null })).toBeNull();
    const odd = stageReport({ sequence: [], compilerMarker: 'SOMETHING_NEW', status: 'crash' });
    expect(odd).toMatchObject({ failedAt: null, compiler: { marker: 'SOMETHING_NEW', stage: null } });
    expect(stageLabel({ status: 'crash', stages: odd })).toBeNull();
  });

  it('orders stages and names a change of failing stage between two runs', () => {
    expect(stageIndex('import')).toBe(0);
    expect(stageIndex('compare')).toBe(5);
    expect(stageIndex(null)).toBe(-1);
    const at = (s: 'compile' | 'execute') => ({ stages: stageReport({ sequence: [s], compilerMarker: null, status: 'fail' }) });
    expect(stageShift(at('compile'), at('execute'))).toEqual({ from: 'compile', to: 'execute', later: true });
    expect(stageShift(at('execute'), at('compile'))).toEqual({ from: 'execute', to: 'compile', later: false });
    expect(stageShift(at('compile'), at('compile'))).toBeNull();
    expect(stageShift(at('compile'), { stages: null })).toBeNull();
  });
});
