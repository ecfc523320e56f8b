//! Who may take part in a lottery, and as what. A candidate takes part at most twice: a second
//! time only after being unplaced in the first (without accepting a place offered after it), and
//! within 24 months of that draw; a candidate's suitability may be at most 24 months old at the
//! draw. The second time makes them a second-attempt candidate.

use chrono::{Months, NaiveDate};

/// How long a candidate may take part again after being unplaced, and how old a suitability may
/// be at the draw.
pub const RETRY_WINDOW: Months = Months::new(24);

/// Why a suitability date does not fit a draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SuitabilityProblem {
    /// Found suitable after the draw.
    #[error("{suitable_on} is after the draw on {draw_on}")]
    AfterDraw {
        /// Suitability.
        suitable_on: NaiveDate,
        /// The draw.
        draw_on: NaiveDate,
    },
    /// Found suitable more than [`RETRY_WINDOW`] before the draw.
    #[error("found suitable on {suitable_on}: more than 24 months before the draw on {draw_on}")]
    TooOld {
        /// Suitability.
        suitable_on: NaiveDate,
        /// The draw.
        draw_on: NaiveDate,
    },
}

/// Whether a candidate found suitable on `suitable_on` may take part in the draw on `draw_on`.
pub fn check_suitability(
    suitable_on: NaiveDate,
    draw_on: NaiveDate,
) -> Result<(), SuitabilityProblem> {
    if suitable_on > draw_on {
        return Err(SuitabilityProblem::AfterDraw {
            suitable_on,
            draw_on,
        });
    }
    if draw_on
        .checked_sub_months(RETRY_WINDOW)
        .is_some_and(|oldest| suitable_on < oldest)
    {
        return Err(SuitabilityProblem::TooOld {
            suitable_on,
            draw_on,
        });
    }
    Ok(())
}

/// How a candidate fared in an earlier lottery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarlierOutcome {
    /// That lottery has not been drawn yet.
    NotDrawn,
    /// Placed by the draw.
    Placed,
    /// Not placed by the draw.
    Unplaced {
        /// Accepted a place offered in its second chance.
        accepted_offer: bool,
    },
}

/// An earlier lottery of the candidate, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlierLottery<'a> {
    /// Its name, for the messages.
    pub name: &'a str,
    /// When it was drawn, if it was.
    pub drawn_on: Option<NaiveDate>,
    /// How the candidate fared.
    pub outcome: EarlierOutcome,
}

/// As what a candidate takes part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Their first lottery.
    First,
    /// Their second, after being unplaced in the first.
    Second,
}

/// Why a candidate may not take part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    /// Took part in two lotteries already.
    #[error("already took part in two lotteries")]
    TwoLotteries,
    /// A candidate in a lottery not drawn yet.
    #[error("already a candidate in '{0}', which has not been drawn")]
    NotDrawnYet(String),
    /// Placed by an earlier draw.
    #[error("was placed in '{0}'")]
    Placed(String),
    /// Accepted a place offered after an earlier draw.
    #[error("accepted a place offered after '{0}'")]
    AcceptedOffer(String),
    /// Unplaced more than [`RETRY_WINDOW`] before this draw.
    #[error("unplaced in '{0}' more than 24 months before this draw")]
    RetryWindowPassed(String),
}

/// Whether a candidate with these earlier lotteries may take part in the draw on `draw_on`, and
/// as what.
pub fn eligibility(
    earlier: &[EarlierLottery<'_>],
    draw_on: NaiveDate,
) -> Result<Attempt, Ineligible> {
    let [first] = earlier else {
        return if earlier.is_empty() {
            Ok(Attempt::First)
        } else {
            Err(Ineligible::TwoLotteries)
        };
    };
    let name = first.name.to_owned();
    match first.outcome {
        EarlierOutcome::NotDrawn => Err(Ineligible::NotDrawnYet(name)),
        EarlierOutcome::Placed => Err(Ineligible::Placed(name)),
        EarlierOutcome::Unplaced {
            accepted_offer: true,
        } => Err(Ineligible::AcceptedOffer(name)),
        EarlierOutcome::Unplaced {
            accepted_offer: false,
        } => match first.drawn_on.and_then(retry_until) {
            Some(until) if draw_on > until => Err(Ineligible::RetryWindowPassed(name)),
            _ => Ok(Attempt::Second),
        },
    }
}

/// The last draw an unplaced candidate of the draw on `drawn_on` may take part in again.
pub fn retry_until(drawn_on: NaiveDate) -> Option<NaiveDate> {
    drawn_on.checked_add_months(RETRY_WINDOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn unplaced(drawn_on: NaiveDate, accepted_offer: bool) -> EarlierLottery<'static> {
        EarlierLottery {
            name: "Loting maart 2026",
            drawn_on: Some(drawn_on),
            outcome: EarlierOutcome::Unplaced { accepted_offer },
        }
    }

    #[test]
    fn a_first_lottery_is_a_first_attempt() {
        assert_eq!(eligibility(&[], date(2027, 3, 1)), Ok(Attempt::First));
    }

    #[test]
    fn unplaced_within_24_months_makes_a_second_attempt() {
        let earlier = [unplaced(date(2026, 3, 1), false)];
        assert_eq!(eligibility(&earlier, date(2028, 3, 1)), Ok(Attempt::Second));
        assert_eq!(
            eligibility(&earlier, date(2028, 3, 2)),
            Err(Ineligible::RetryWindowPassed(
                "Loting maart 2026".to_owned()
            ))
        );
    }

    #[test]
    fn placed_accepted_undrawn_or_two_earlier_lotteries_exclude() {
        let draw_on = date(2027, 3, 1);
        let placed = EarlierLottery {
            outcome: EarlierOutcome::Placed,
            ..unplaced(date(2026, 3, 1), false)
        };
        assert_eq!(
            eligibility(&[placed], draw_on),
            Err(Ineligible::Placed("Loting maart 2026".to_owned()))
        );
        assert_eq!(
            eligibility(&[unplaced(date(2026, 3, 1), true)], draw_on),
            Err(Ineligible::AcceptedOffer("Loting maart 2026".to_owned()))
        );
        let undrawn = EarlierLottery {
            drawn_on: None,
            outcome: EarlierOutcome::NotDrawn,
            ..placed
        };
        assert_eq!(
            eligibility(&[undrawn], draw_on),
            Err(Ineligible::NotDrawnYet("Loting maart 2026".to_owned()))
        );
        let twice = [
            unplaced(date(2025, 3, 1), false),
            unplaced(date(2026, 3, 1), false),
        ];
        assert_eq!(eligibility(&twice, draw_on), Err(Ineligible::TwoLotteries));
    }

    #[test]
    fn a_suitability_is_at_most_24_months_old_and_not_after_the_draw() {
        let draw_on = date(2027, 3, 1);
        assert_eq!(check_suitability(date(2025, 3, 1), draw_on), Ok(()));
        assert_eq!(check_suitability(draw_on, draw_on), Ok(()));
        assert!(matches!(
            check_suitability(date(2025, 2, 28), draw_on),
            Err(SuitabilityProblem::TooOld { .. })
        ));
        assert!(matches!(
            check_suitability(date(2027, 3, 2), draw_on),
            Err(SuitabilityProblem::AfterDraw { .. })
        ));
        assert_eq!(retry_until(date(2026, 3, 1)), Some(date(2028, 3, 1)));
    }
}
