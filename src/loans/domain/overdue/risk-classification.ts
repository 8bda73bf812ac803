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
}

export function fiveCategoryClassOf({ daysPastDue, writtenOff, inRestructuringObservation }: CreditStanding): FiveCategoryClass {
  if (writtenOff || daysPastDue > 360) return 'loss';
  if (daysPastDue > 270) return 'doubtful';
  if (daysPastDue > 90) return 'substandard';
  if (daysPastDue > 0 || inRestructuringObservation) return 'special-mention';
  return 'normal';
}

/** The days-past-due range of a class when nothing but DPD decides it; `max` undefined for loss. */
export function daysPastDueRangeOfClass(klass: FiveCategoryClass): { min: number; max: number | undefined } {
  switch (klass) {
    case 'normal':
      return { min: 0, max: 0 };
    case 'special-mention':
      return { min: 1, max: 90 };
    case 'substandard':
      return { min: 91, max: 270 };
    case 'doubtful':
      return { min: 271, max: 360 };
    case 'loss':
      return { min: 361, max: undefined };
  }
}

export function ifrs9StageOf({ daysPastDue, writtenOff }: CreditStanding): Ifrs9Stage {
  if (writtenOff || daysPastDue > 90) return 3;
  if (daysPastDue > 30) return 2;
  return 1;
}
