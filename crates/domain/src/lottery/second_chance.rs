//! The second chance: a place freed by a declined or expired offer goes to the next unplaced
//! candidate in the draw's order who has had no offer yet; nobody left means it stays unfilled.

/// The candidate to offer a freed place to: the first of `unplaced` (the draw's order) for whom
/// `had_offer` is false.
pub fn next_for_offer<'a, T>(
    unplaced: impl IntoIterator<Item = &'a T>,
    had_offer: impl Fn(&T) -> bool,
) -> Option<&'a T>
where
    T: 'a + ?Sized,
{
    unplaced.into_iter().find(|candidate| !had_offer(candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_in_the_draws_order_without_an_offer_gets_the_place() {
        let unplaced = ["k7", "k2", "k9"];
        let had: [&str; 1] = ["k7"];
        assert_eq!(next_for_offer(&unplaced, |c| had.contains(c)), Some(&"k2"));
        assert_eq!(next_for_offer(&unplaced, |_| true), None);
        assert_eq!(next_for_offer(&unplaced, |_| false), Some(&"k7"));
    }
}
