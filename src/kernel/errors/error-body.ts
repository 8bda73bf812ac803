/** The one shape of every error response: a stable code, a sentence, and field errors for 400s. */
export interface ErrorBody {
  code: string;
  message: string;
  errors?: FieldError[];
  details?: Record<string, unknown>;
}

export interface FieldError {
  /** Dotted path of the offending field, e.g. `creditAssessment.score`. */
  field: string;
  messages: string[];
}
