import { BadRequestException } from '@nestjs/common';
import { LoanIdParams } from '../../src/http/loan-route-params.dto.js';
import { createValidationPipe } from '../../src/http/validation-pipe.js';

describe('the validation pipe on route parameters', () => {
  const asParams = { type: 'param', metatype: LoanIdParams, data: undefined } as const;

  it('answers each request with a DTO of its own, the same loan id validated before or not', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({ loanId: 'L-1' }, asParams)) as LoanIdParams;
    const second = (await pipe.transform({ loanId: 'L-1' }, asParams)) as LoanIdParams;
    expect(first).toBeInstanceOf(LoanIdParams);
    expect(second).toBeInstanceOf(LoanIdParams);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    second.loanId = 'changed';
    expect(((await pipe.transform({ loanId: 'L-1' }, asParams)) as LoanIdParams).loanId).toBe('L-1');
  });

  it('refuses an invalid loan id every time, a valid one having been seen before', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({ loanId: 'L-1' }, asParams);
    // Twice: an invalid id is never kept as valid.
    for (let attempt = 1; attempt <= 2; attempt++) {
      await expect(pipe.transform({ loanId: 'L 1' }, asParams)).rejects.toBeInstanceOf(BadRequestException);
      await expect(pipe.transform({ loanId: 'L-1\u0000' }, asParams)).rejects.toBeInstanceOf(BadRequestException);
      await expect(pipe.transform({ loanId: 'L-1', other: 'x' }, asParams)).rejects.toBeInstanceOf(BadRequestException);
    }
  });
});
