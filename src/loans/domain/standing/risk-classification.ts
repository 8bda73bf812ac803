/**
 * Five-category loan classification (《商业银行金融资产风险分类办法》, 2023) and IFRS 9
 * stage, from days past due (DESIGN.md §3). Restructured loans within their observation
 * period are at least special mention; written-off loans are loss and stage 3.
 */
export const FIVE_CATEGORY_CLASSES = ['normal', 'special-mention', 'substandard', 'doubtful', 'loss'] as const;
export type FiveCategoryClass = (typeof FIVE_CATEGORY_CLASSES)[number];

export type Ifrs9Stage = 1 | 2 | 3;

export interface CreditStanding {
  readonly daysPastDue: number;
  readonly writtenOff?: boolean;
  readonly inRestructuringObservation?: boolean;
  /** During a restructuring's observation period: the class the loan had when restructured, when substandard or worse (it is not upgraded). */
  readonly observationClassFloor?: FiveCategoryClass;
}

/** The days-past-due range of each class when nothing but DPD decides it (inclusive; `max` undefined for loss): the one table of thresholds. */
const CLASS_BY_DAYS_PAST_DUE: readonly { readonly klass: FiveCategoryClass; readonly min: number; readonly max: number | undefined }[] = [
  { klass: 'normal', min: 0, max: 0 },
  { klass: 'special-mention', min: 1, max: 90 },
  { klass: 'substandard', min: 91, max: 270 },
  { klass: 'doubtful', min: 271, max: 360 },
  { klass: 'loss', min: 361, max: undefined },
];

export function fiveCategoryClassOf({ daysPastDue, writtenOff, inRestructuringObservation, observationClassFloor }: CreditStanding): FiveCategoryClass {
  if (writtenOff) return 'loss';
  const byDaysPastDue = CLASS_BY_DAYS_PAST_DUE.find((c) => c.max === undefined || daysPastDue <= c.max)!.klass;
  if (!inRestructuringObservation) return byDaysPastDue;
  // Under observation: at least special mention, and never above the class it was restructured in when that was non-performing.
  return worseOf(worseOf(byDaysPastDue, 'special-mention'), observationClassFloor ?? 'normal');
}

function worseOf(a: FiveCategoryClass, b: FiveCategoryClass): FiveCategoryClass {
  return FIVE_CATEGORY_CLASSES.indexOf(a) >= FIVE_CATEGORY_CLASSES.indexOf(b) ? a : b;
}

/** The class a restructured loan keeps as a floor through its observation period: substandard or worse, else none. */
export function observationFloorOf(classWhenRestructured: FiveCategoryClass): FiveCategoryClass | undefined {
  return FIVE_CATEGORY_CLASSES.indexOf(classWhenRestructured) >= FIVE_CATEGORY_CLASSES.indexOf('substandard') ? classWhenRestructured : undefined;
}

/** The days-past-due range of a class when nothing but DPD decides it; `max` undefined for loss. */
export function daysPastDueRangeOfClass(klass: FiveCategoryClass): { min: number; max: number | undefined } {
  const { min, max } = CLASS_BY_DAYS_PAST_DUE.find((c) => c.klass === klass)!;
  return { min, max };
}

export function ifrs9StageOf({ daysPastDue, writtenOff }: CreditStanding): Ifrs9Stage {
  if (writtenOff || daysPastDue > 90) return 3;
  if (daysPastDue > 30) return 2;
  return 1;
}
