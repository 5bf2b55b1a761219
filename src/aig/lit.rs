//! Variables and literals: the two small value types every other part of abcrl speaks.
//!
//! A [`Var`] indexes a node of an [`Aig`](super::Aig); var 0 is the constant-false node. A [`Lit`]
//! is `var << 1 | complement`, exactly as in AIGER, so `Lit::FALSE` is 0 and `Lit::TRUE` is 1.

use std::fmt;
use std::ops::Not;

/// Index of a node in an AIG. `Var(0)` is the constant-false node.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Var(pub u32);

impl Var {
    /// The constant-false node.
    pub const CONST: Var = Var(0);

    /// Creates a variable from a node index.
    #[inline]
    pub const fn new(index: u32) -> Var {
        Var(index)
    }

    /// The node index as `usize`, for indexing side arrays.
    #[inline]
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The positive literal of this variable.
    #[inline]
    pub const fn lit(self) -> Lit {
        Lit(self.0 << 1)
    }
}

impl fmt::Debug for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An edge: a variable and a complement bit, encoded as `var << 1 | complement`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Lit(pub u32);

impl Lit {
    /// Constant false (AIGER literal 0).
    pub const FALSE: Lit = Lit(0);
    /// Constant true (AIGER literal 1).
    pub const TRUE: Lit = Lit(1);

    /// Creates a literal of `var`, complemented if `complement` is true.
    #[inline]
    pub const fn new(var: Var, complement: bool) -> Lit {
        Lit(var.0 << 1 | complement as u32)
    }

    /// Creates a literal from its raw AIGER encoding.
    #[inline]
    pub const fn from_raw(raw: u32) -> Lit {
        Lit(raw)
    }

    /// The raw AIGER encoding.
    #[inline]
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// The variable this literal points to.
    #[inline]
    pub const fn var(self) -> Var {
        Var(self.0 >> 1)
    }

    /// True if the edge is complemented.
    #[inline]
    pub const fn is_complement(self) -> bool {
        self.0 & 1 == 1
    }

    /// The same variable, not complemented.
    #[inline]
    pub const fn regular(self) -> Lit {
        Lit(self.0 & !1)
    }

    /// Complements the literal if `complement` is true.
    #[inline]
    pub const fn xor(self, complement: bool) -> Lit {
        Lit(self.0 ^ complement as u32)
    }

    /// True for the two constant literals.
    #[inline]
    pub const fn is_const(self) -> bool {
        self.0 < 2
    }
}

impl Not for Lit {
    type Output = Lit;
    #[inline]
    fn not(self) -> Lit {
        Lit(self.0 ^ 1)
    }
}

impl fmt::Debug for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_complement() { write!(f, "!v{}", self.0 >> 1) } else { write!(f, "v{}", self.0 >> 1) }
    }
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_matches_aiger() {
        let v = Var::new(5);
        assert_eq!(v.lit().raw(), 10);
        assert_eq!((!v.lit()).raw(), 11);
        assert_eq!(Lit::new(v, true).var(), v);
        assert!(Lit::new(v, true).is_complement());
        assert_eq!(Lit::new(v, true).regular(), v.lit());
        assert_eq!(!Lit::FALSE, Lit::TRUE);
        assert!(Lit::TRUE.is_const() && !Lit::new(Var(1), false).is_const());
        assert_eq!(v.lit().xor(true), !v.lit());
    }
}
