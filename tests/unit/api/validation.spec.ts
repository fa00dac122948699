import { ValidationError } from 'class-validator';
import { flattenValidationErrors } from '../../../apps/api/src/common/validation';

describe('validation error body', () => {
  it('gives nested fields a dotted path with their own messages', () => {
    const child = Object.assign(new ValidationError(), { property: 'leadTimeDays', constraints: { min: 'leadTimeDays must not be less than 0' } });
    const item = Object.assign(new ValidationError(), { property: '0', children: [child] });
    const items = Object.assign(new ValidationError(), { property: 'items', children: [item] });
    const name = Object.assign(new ValidationError(), { property: 'name', constraints: { isString: 'name must be a string' } });
    expect(flattenValidationErrors([name, items])).toEqual([
      { field: 'name', messages: ['name must be a string'] },
      { field: 'items.0.leadTimeDays', messages: ['leadTimeDays must not be less than 0'] },
    ]);
  });
});
