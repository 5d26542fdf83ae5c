/** Turns a parser that throws into an inquirer `validate`: true, or the error's message. */
export function validator<T>(parse: (value: string) => T): (value: string) => true | string {
  return (value) => {
    try {
      parse(value);
      return true;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
}
