/**
 * formAnswerValidator: the check the SDK runs on an accepted elicitation answer, for the guard's forms.
 * It understands flat boolean and string fields and refuses any other schema (the guard then fails closed).
 */
import { describe, expect, it } from "vitest";
import { formAnswerValidator } from "../src/elicitation.js";

const form = {
  type: "object" as const,
  properties: {
    confirm: { type: "boolean", title: "Make this change", description: "Tick to confirm." },
    name: { type: "string", title: "Type the name", description: 'Type "X".' },
  },
  required: ["confirm", "name"],
};

describe("formAnswerValidator", () => {
  const check = formAnswerValidator.getValidator(form);

  it("accepts an answer of the right shape, extra fields included (JSON Schema allows them)", () => {
    expect(check({ confirm: true, name: "X" })).toEqual({
      valid: true,
      data: { confirm: true, name: "X" },
      errorMessage: undefined,
    });
    expect(check({ confirm: false, name: "", extra: 1 }).valid).toBe(true);
  });

  it("refuses a missing required field, a wrong type or a non-object, naming the field", () => {
    expect(check({ confirm: true })).toMatchObject({ valid: false, errorMessage: "name is required" });
    expect(check({ confirm: "yes", name: "X" })).toMatchObject({
      valid: false,
      errorMessage: "confirm must be a boolean",
    });
    expect(check({ confirm: true, name: 5 })).toMatchObject({
      valid: false,
      errorMessage: "name must be a string",
    });
    for (const answer of [null, "yes", [true], 1]) expect(check(answer).valid).toBe(false);
  });

  it("refuses schemas it does not understand instead of passing anything", () => {
    const bad = [
      { type: "array" },
      { ...form, additionalProperties: false },
      { type: "object", properties: { n: { type: "number" } } },
      { type: "object", properties: { s: { type: "string", enum: ["a"] } } },
    ];
    for (const schema of bad) expect(() => formAnswerValidator.getValidator(schema as never)).toThrow();
  });
});
