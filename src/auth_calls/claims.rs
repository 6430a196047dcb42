//! Verified claims as R objects, made straight from the parsed token: the
//! hot path of `cognito_verify_token()` over many tokens. The shapes are
//! `jwt::RShape`'s (the same as `Claims::to_value`); this module only
//! builds them, with R's API on raw SEXPs (no `Robj`, so nothing lands in
//! extendr's table), and shares the attribute values that repeat from token
//! to token: the `POSIXct` class and time zone, and the names of a token
//! whose members are those of the token before (as Cognito writes them).
//! Shared values are marked not mutable, so R copies before changing one.

use extendr_ffi::{
    cetype_t, R_ClassSymbol, R_NaInt, R_NaReal, R_NaString, R_NamesSymbol, R_NilValue, R_xlen_t, Rf_allocVector,
    Rf_install, Rf_mkCharLenCE, Rf_protect, Rf_setAttrib, Rf_unprotect, MARK_NOT_MUTABLE, SET_STRING_ELT,
    SET_VECTOR_ELT, SEXP, SEXPTYPE, LOGICAL, REAL,
};

use crate::auth::jwt::{json_bool, json_number, json_str, Claims, Json, RShape};

/// What one batch of results shares. Its SEXPs are kept alive by the
/// results they are attached to, and `class`/`tzone` by R's protection
/// from [`Builder::new`] until [`Builder::finish`].
pub(super) struct Builder {
    posixct_class: SEXP,
    gmt: SEXP,
    tzone: SEXP,
    /// The names of the last token's claims and the R vector made for them.
    last_names: Vec<String>,
    last_names_sexp: SEXP,
}

impl Builder {
    /// # Safety
    /// On R's main thread; protects two objects that [`Builder::finish`]
    /// releases (R's protection is a stack: nothing else protected in
    /// between may outlive it).
    pub(super) unsafe fn new() -> Builder {
        let posixct_class = Rf_protect(strings(&["POSIXct", "POSIXt"]));
        MARK_NOT_MUTABLE(posixct_class);
        let gmt = Rf_protect(strings(&["GMT"]));
        MARK_NOT_MUTABLE(gmt);
        Builder {
            posixct_class,
            gmt,
            tzone: Rf_install(c"tzone".as_ptr()),
            last_names: Vec::new(),
            last_names_sexp: R_NilValue,
        }
    }

    /// # Safety
    /// The builder's protections are the top two of R's stack.
    pub(super) unsafe fn finish(self) {
        Rf_unprotect(2);
    }

    /// The claims as a named list (see `Claims::to_value`), unprotected: the
    /// caller stores it in a protected object before allocating again.
    ///
    /// # Safety
    /// On R's main thread, with the builder alive.
    pub(super) unsafe fn claims(&mut self, claims: &Claims) -> SEXP {
        let shapes = claims.shapes();
        let x = Rf_protect(Rf_allocVector(SEXPTYPE::VECSXP, shapes.len() as R_xlen_t));
        let same_names = shapes.len() == self.last_names.len()
            && claims.names().zip(&self.last_names).all(|(name, last)| name == last);
        for (i, (_, shape)) in shapes.enumerate() {
            SET_VECTOR_ELT(x, i as R_xlen_t, self.shape(shape));
        }
        if !same_names {
            self.last_names = claims.names().map(str::to_owned).collect();
            let names: Vec<&str> = self.last_names.iter().map(String::as_str).collect();
            self.last_names_sexp = Rf_protect(strings(&names));
            MARK_NOT_MUTABLE(self.last_names_sexp);
            Rf_setAttrib(x, R_NamesSymbol, self.last_names_sexp);
            Rf_unprotect(1);
        } else {
            Rf_setAttrib(x, R_NamesSymbol, self.last_names_sexp);
        }
        Rf_unprotect(1);
        x
    }

    unsafe fn shape(&self, shape: RShape<'_>) -> SEXP {
        match shape {
            RShape::Null => R_NilValue,
            RShape::Time(seconds) => {
                let x = Rf_protect(Rf_allocVector(SEXPTYPE::REALSXP, 1));
                *REAL(x) = seconds;
                Rf_setAttrib(x, R_ClassSymbol, self.posixct_class);
                Rf_setAttrib(x, self.tzone, self.gmt);
                Rf_unprotect(1);
                x
            }
            RShape::Logical(items) => {
                let x = Rf_allocVector(SEXPTYPE::LGLSXP, items.len() as R_xlen_t);
                for (i, item) in items.iter().enumerate() {
                    *LOGICAL(x).add(i) = json_bool(item).map_or(R_NaInt, i32::from);
                }
                x
            }
            RShape::Double(items) => {
                let x = Rf_allocVector(SEXPTYPE::REALSXP, items.len() as R_xlen_t);
                for (i, item) in items.iter().enumerate() {
                    *REAL(x).add(i) = json_number(item).unwrap_or(R_NaReal);
                }
                x
            }
            RShape::Character(items) => {
                let x = Rf_protect(Rf_allocVector(SEXPTYPE::STRSXP, items.len() as R_xlen_t));
                for (i, item) in items.iter().enumerate() {
                    SET_STRING_ELT(x, i as R_xlen_t, json_str(item).map_or(R_NaString, |s| charsxp(s)));
                }
                Rf_unprotect(1);
                x
            }
            RShape::List(items) => {
                let x = Rf_protect(Rf_allocVector(SEXPTYPE::VECSXP, items.len() as R_xlen_t));
                for (i, item) in items.iter().enumerate() {
                    SET_VECTOR_ELT(x, i as R_xlen_t, self.shape(RShape::of(item)));
                }
                Rf_unprotect(1);
                x
            }
            RShape::Object(members) => self.object(members),
        }
    }

    /// A nested object: a named list (names kept even when it is empty,
    /// as `to_value` keeps them).
    unsafe fn object(&self, members: &[(String, Json)]) -> SEXP {
        let x = Rf_protect(Rf_allocVector(SEXPTYPE::VECSXP, members.len() as R_xlen_t));
        for (i, (_, value)) in members.iter().enumerate() {
            SET_VECTOR_ELT(x, i as R_xlen_t, self.shape(RShape::of(value)));
        }
        let names: Vec<&str> = members.iter().map(|(name, _)| name.as_str()).collect();
        Rf_setAttrib(x, R_NamesSymbol, strings(&names));
        Rf_unprotect(1);
        x
    }
}

/// A character vector, unprotected.
unsafe fn strings(items: &[&str]) -> SEXP {
    let x = Rf_protect(Rf_allocVector(SEXPTYPE::STRSXP, items.len() as R_xlen_t));
    for (i, s) in items.iter().enumerate() {
        SET_STRING_ELT(x, i as R_xlen_t, charsxp(s));
    }
    Rf_unprotect(1);
    x
}

/// An R string in UTF-8. The JSON reader refuses NUL, which R strings cannot
/// hold, and strings the reader makes are shorter than its input, which a
/// token of R's own caps below 2^31 bytes.
unsafe fn charsxp(s: &str) -> SEXP {
    Rf_mkCharLenCE(s.as_ptr().cast(), s.len() as i32, cetype_t::CE_UTF8)
}
