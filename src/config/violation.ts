import { ValidationError } from 'class-validator';

/** What is wrong with a property, without its name; a wrong type says more than the range check it also fails ("abc" is not "greater than 65535"). */
export function violationMessage(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  const key = ['isInt', 'isNumber', 'isBoolean', 'isString', 'isArray', 'isIn', 'matches'].find((k) => k in constraints) ?? Object.keys(constraints)[0];
  const why = (key && constraints[key]) || 'is invalid';
  return why.replace(new RegExp(`^${error.property} `), '');
}
