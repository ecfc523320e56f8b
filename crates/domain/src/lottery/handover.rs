//! The placement lottery's hand-over to the institutes: once the draw is done and its second
//! chance is over (no offer open any more), the placed candidates go to the institutes of their
//! locations, with a placement start that becomes their training start.

use chrono::{Datelike, NaiveDate};

use crate::calendar::StartMonth;

/// Why a hand-over is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandoverError {
    /// Not drawn yet.
    #[error("the lottery is not drawn yet: hand over after the draw and its second chance")]
    NotDrawn,
    /// Offers still open.
    #[error(
        "the second chance is not over: {open} offer(s) still open; hand over once every offer is accepted, declined or expired"
    )]
    SecondChanceOpen {
        /// Open offers.
        open: usize,
    },
    /// Already handed over.
    #[error("the placed candidates were already handed over")]
    AlreadyHandedOver,
    /// Not the first day of a placement start month.
    #[error(
        "{0} is not a placement start: use the first day of March, June, September or December"
    )]
    NotAPlacementStart(NaiveDate),
    /// Not after the draw.
    #[error("the placement start {start} must be after the draw on {draw_on}")]
    BeforeDraw {
        /// The placement start given.
        start: NaiveDate,
        /// The day of the draw.
        draw_on: NaiveDate,
    },
}

impl HandoverError {
    /// The request field the error is about, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::NotAPlacementStart(_) | Self::BeforeDraw { .. } => Some("placement_start"),
            _ => None,
        }
    }
}

/// Where a lottery stands, for [`check_handover`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LotteryState {
    /// Whether it is drawn.
    pub drawn: bool,
    /// Second-chance offers still open.
    pub open_offers: usize,
    /// Whether it was handed over already.
    pub handed_over: bool,
    /// The day of the draw.
    pub draw_on: NaiveDate,
}

/// Whether a lottery's placed candidates may be handed over with `placement_start`.
pub fn check_handover(
    state: LotteryState,
    placement_start: NaiveDate,
) -> Result<(), HandoverError> {
    if !state.drawn {
        return Err(HandoverError::NotDrawn);
    }
    if state.handed_over {
        return Err(HandoverError::AlreadyHandedOver);
    }
    if state.open_offers > 0 {
        return Err(HandoverError::SecondChanceOpen {
            open: state.open_offers,
        });
    }
    if placement_start.day() != 1 || StartMonth::from_number(placement_start.month()).is_none() {
        return Err(HandoverError::NotAPlacementStart(placement_start));
    }
    if placement_start <= state.draw_on {
        return Err(HandoverError::BeforeDraw {
            start: placement_start,
            draw_on: state.draw_on,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn drawn() -> LotteryState {
        LotteryState {
            drawn: true,
            open_offers: 0,
            handed_over: false,
            draw_on: date(2026, 11, 14),
        }
    }

    #[test]
    fn a_drawn_lottery_is_handed_over_once_its_second_chance_is_over() {
        assert_eq!(check_handover(drawn(), date(2027, 3, 1)), Ok(()));
        let not_drawn = LotteryState {
            drawn: false,
            ..drawn()
        };
        assert_eq!(
            check_handover(not_drawn, date(2027, 3, 1)),
            Err(HandoverError::NotDrawn)
        );
        let open = LotteryState {
            open_offers: 2,
            ..drawn()
        };
        assert_eq!(
            check_handover(open, date(2027, 3, 1)),
            Err(HandoverError::SecondChanceOpen { open: 2 })
        );
        let done = LotteryState {
            handed_over: true,
            ..drawn()
        };
        assert_eq!(
            check_handover(done, date(2027, 3, 1)),
            Err(HandoverError::AlreadyHandedOver)
        );
    }

    #[test]
    fn the_placement_start_is_a_start_day_after_the_draw() {
        let error = check_handover(drawn(), date(2027, 3, 2)).unwrap_err();
        assert_eq!(error.field(), Some("placement_start"));
        assert!(check_handover(drawn(), date(2027, 4, 1)).is_err());
        assert_eq!(
            check_handover(drawn(), date(2026, 9, 1)),
            Err(HandoverError::BeforeDraw {
                start: date(2026, 9, 1),
                draw_on: date(2026, 11, 14)
            })
        );
        assert_eq!(check_handover(drawn(), date(2026, 12, 1)), Ok(()));
    }
}
