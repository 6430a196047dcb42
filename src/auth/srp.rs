//! Client side of Amazon Cognito's Secure Remote Password sign-in: USER_SRP_AUTH with its
//! PASSWORD_VERIFIER challenge, DEVICE_SRP_AUTH with DEVICE_PASSWORD_VERIFIER, the verifier that
//! ConfirmDevice registers, the SECRET_HASH of app clients with a secret, and the TIMESTAMP.
//!
//! Cognito hashes integers as Java's `BigInteger.toByteArray` writes them (`pad` below), so every
//! number from the server is parsed to an integer before it is padded and hashed.
//!
//! Secret big integers live in fixed-size `crypto-bigint` values, which are wiped on drop where we
//! hold them; exponentiations with a secret exponent run in constant time. The private value `a`
//! has a heap allocation of its own, so that moving an exchange copies only its address, and
//! `Srp::claim_once` wipes it there as soon as the claim is made. Also wiped: the password
//! exponent x, the premaster secret S in every form, the HKDF input and the derived key, the
//! device password and its random bytes. Not wiped, because ring gives no way to reach them: the
//! SHA-256 states and digests on the way to x (`digest::Digest` is a plain value whose type
//! forbids writing zeros over it), and the keyed HMAC states of `hmac::Key` (the HKDF pseudorandom
//! key, the claim's key, the client secret's key), which ring drops without wiping. The password
//! and client secret themselves are R strings, which R owns.
//!
//! The private value `a` is 512 random bits. The reference clients draw 1024, which the server
//! cannot tell apart: it sees only A = g^a. What matters is that `a` is at least twice the
//! group's security strength (about 128 bits for a 3072-bit group; NIST SP 800-56A asks 2s
//! = 256 bits of private key for such groups), and 512 bits keeps double that. The shorter
//! exponents halve the work: S = (B - k g^x)^(a + u x), whose exponent is then about 513 bits
//! (u x is 512), and A by a comb of four rows of 128 bits. One sign-in's local work goes from
//! about 7.2 ms to 4 ms on 2.3 GHz Xeon cores (bench/srp.rs). Any length up to 1024 bits is
//! accepted by `Srp::from_private` (the test vectors use 1024).

use core::fmt;
use core::fmt::Write as _;

use crypto_bigint::modular::ConstMontyForm;
use crypto_bigint::{Choice, CtAssign, U256, U512, U1024, U1280, U3072, Uint};
use ring::rand::SecureRandom;
use ring::{digest, hkdf, hmac};
use zeroize::{Zeroize, Zeroizing};

/// N of RFC 5054's 3072-bit group (the prime of RFC 3526's group 15).
const MODULUS_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

// The macro declares a public type; the private module keeps it out of this module's API.
mod group {
    crypto_bigint::const_monty_params!(Modulus, crypto_bigint::U3072, super::MODULUS_HEX);
}

/// An integer modulo N, kept in Montgomery form.
type Residue = ConstMontyForm<group::Modulus, { U3072::LIMBS }>;

const MODULUS: U3072 = U3072::from_be_hex(MODULUS_HEX);
const GENERATOR: u8 = 2;

/// A fresh `a` is 64 random bytes (see the module's documentation); given ones may have up to
/// 128, as the reference clients' do.
const PRIVATE_VALUE_BYTES: usize = 64;
const MAX_PRIVATE_VALUE_BYTES: usize = 128;
const DERIVED_KEY_BYTES: usize = 16;
const DERIVED_KEY_INFO: &[u8] = b"Caldera Derived Key";
const DEVICE_PASSWORD_BYTES: usize = 40;
const DEVICE_SALT_BYTES: usize = 16;

/// u * x is below 2^512: the exponent `a + u * x` has at most one bit more than the longer of
/// the two.
const SCRAMBLED_PASSWORD_BITS: u32 = 512;

/// Fixed-base comb for 2^a with a 512-bit `a`: `a`'s bits are read in four rows of 128
/// (bit i of row r is bit i + 128 r), so 2^a = product over i of
/// (2^(2^0))^(bit i) (2^(2^128))^(bit i + 128) (2^(2^256))^(bit i + 256) (2^(2^384))^(bit i + 384),
/// squared along i: 128 squarings and 128 multiplications instead of 512 squarings.
const COMB_ROWS: u32 = 4;
const COMB_ROW_BITS: u32 = 128;
const COMB_BITS: u32 = COMB_ROWS * COMB_ROW_BITS;
const COMB_TABLE_SIZE: usize = 1 << COMB_ROWS;

/// 2^(2^128), 2^(2^256) and 2^(2^384) mod N, the comb's precomputed bases besides 2 itself
/// (a test recomputes them by repeated squaring).
const COMB_BASES: [Residue; 3] = [
    Residue::new(&U3072::from_be_hex(concat!(
        "8c91af84249658896165e3e190488d84241d642b509d63551e46eb58c5d315bc3c8886c34fcdbd10882dd3d7dfda5d40",
        "7cc80cf6c9fc8fb6cb36c9e366b3c2ae3704ee863a08d0d82b5bce7d2e6efe1667dd7a68cb5328855c156d8e35984ded",
        "8ec26c97cf92adba6c1c5718cd07cbbb7d099337e9304777e11f37a36c2851eeb66a3f6bd44d67b93a3a6937ec493ea1",
        "731c25c7132cbb3bf82217c356d51e0920c7429d710876de0dabc1bcd4c0b12136379df592b6aadd3488dd384aae221e",
        "49d4dde76db6c02a24f6e636fe6c53f2ae84e252731dec6f2716d511f1fc49f937fd3b99326b123667d61a3f215b70c8",
        "a1a0b46128e58c0b0bb171831fa772901bba3874faf37f31ba5887f8facb8bd3ce99c20cf52160c226dfa867b942473b",
        "52d884922940a49ca0e2ed2e09a786f73f2dc7d6163d3e2ae0b94ebc038f0327705377c48cfc21817950c9847526707a",
        "7d737601b2195e10db219bd9c0e3771f2fd832038c8f9245e855efaf433c487a1f2eea103873d7684f9088e07806734a",
    ))),
    Residue::new(&U3072::from_be_hex(concat!(
        "c8be99f3d54d5ad0bd02283135f14fc354362d7b6f62bd2b0cbdb784def4b49b984691eedfb837e67fd1a1217b2bac44",
        "566329bafc322074a7d1e447c90b393256f879f75cdc0fd99824d80593a1c08b4745fbdbd72c947f92927d0668bdcdd9",
        "34284f0465c484ce638a724e02731827fc1453d3305f4b1a4697127a2f4babedcbbb9583663ac4da699eb3951e9f85f9",
        "43362374f229e189eb3802c66268e516f0d842f9fb19659eadf08f3e67fb4f0464b07e310f561aa177a773caf657408a",
        "ba80e90d9dc520ebb3ed104ab7a72650b373c6d96a80093b3ccd1d2f02e343de0b37c7f242d2b300a82e5f662eefb242",
        "8c038cc88751e2cd3a80e4e7a0e5157d9314215b1b2bcc95ffa475dd2d857fc13514011ed25a1082e03f5932534a83d3",
        "47f9931fc823c8b9296ba9427bbc241f092117f226b9cdb7e5bb5775c6da162e646d4bc1540713d76c91ae7217890c7d",
        "f67638ae648151dbb696af70168441d75ae68bc3da5a4f1806c8c9352f11ceb4f8161dfe9394f8995f13516a40c6f15f",
    ))),
    Residue::new(&U3072::from_be_hex(concat!(
        "06ce2124ac8504f2cf5c5db08bbf12d3b30039e4545ae508cb0d3f77e2a53673561253e79f27e68537872562db23f2eb",
        "fe2b8ed37ed45751df90bbc913d6a05cf01e0d6d369f7bd5ae7d4544697940e0812213ad41d26cda8a35a938bdb631a6",
        "bbed607caa08024b854e58b88e5dbc5f0659ce9e6d29d85b2bf7e5c40d1bae48108496674657a097ccdfbbf20d945084",
        "d91fc59651112f89bb21d48ddefb77206e4c7079cdfdbb625a17453b45654e9f4c13827d96915928a601701a81fe793b",
        "75a9afd1e8a665a54136986d6857233ec794cd7fd39bfd5ec3f8f41f8f683c4071e5d4d86a409efdea6b8d4ab5934b7e",
        "8dba3c00ff8ff9625cc325190c063471ebf9da16cfc4f1f954a5a1df3dd51907ed02ac9f0a00a9472f4bec9e5f7960b6",
        "877479a3bfefbe52ac8b4becf42d85de5168ca43b0a25048fb83187f158b8f001658c5bee1a9c7469583a12b8666ef09",
        "8ecae1d04661e79626913352a84b350768a19107eb50fbb09d02742ab8d5dddb057ce06ff3cf7fdc27d986ce27e17e20",
    ))),
];

/// Why an SRP step failed. The messages name the offending field, never a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SrpError {
    /// The random source failed.
    RandomSource,
    /// A private value must be 1 to 128 bytes long.
    PrivateValueLength,
    /// The named challenge field is empty or not hexadecimal.
    NotHex(&'static str),
    /// The named challenge field is wider than the 3072-bit group.
    TooLarge(&'static str),
    /// SRP_B is a multiple of N (a server that sends it could learn the password).
    ServerPublicIsZero,
    /// The scrambling parameter u = SHA256(PAD(A) || PAD(B)) is zero.
    ScramblerIsZero,
    /// SRP_A is a multiple of N.
    ClientPublicIsZero,
    /// HKDF refused to derive the key.
    KeyDerivation,
    /// The exchange answered a challenge already: its private value is gone.
    Spent,
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RandomSource => f.write_str("the random number generator failed"),
            Self::PrivateValueLength => f.write_str("the SRP private value must be 1 to 128 bytes"),
            Self::NotHex(field) => write!(f, "{field} is not a hexadecimal number"),
            Self::TooLarge(field) => write!(f, "{field} is wider than the 3072-bit SRP group"),
            Self::ServerPublicIsZero => f.write_str("SRP_B is a multiple of the SRP modulus"),
            Self::ScramblerIsZero => f.write_str("the SRP scrambling parameter u is zero"),
            Self::ClientPublicIsZero => f.write_str("SRP_A is a multiple of the SRP modulus"),
            Self::KeyDerivation => f.write_str("the SRP session key could not be derived"),
            Self::Spent => f.write_str("this SRP exchange was used already"),
        }
    }
}

impl std::error::Error for SrpError {}

/// A random source for [`Srp::new`] and [`new_device_secret`]: the operating system's, through ring.
///
/// # Errors
/// [`SrpError::RandomSource`] when the operating system's generator fails.
pub fn system_random(buffer: &mut [u8]) -> Result<(), SrpError> {
    ring::rand::SystemRandom::new()
        .fill(buffer)
        .map_err(|_| SrpError::RandomSource)
}

/// One SRP sign-in attempt in the 3072-bit group of RFC 5054 (N), g = 2,
/// k = SHA256(PAD(N) || PAD(g)): the private value `a` and the public value A = g^a mod N.
///
/// The private value lives in one heap allocation of its own, so that moving
/// the exchange (into R's external pointer, out of a function) copies only
/// its address; [`Srp::claim_once`] wipes it there, and dropping the
/// exchange wipes it too.
pub struct Srp {
    private: Box<Zeroizing<U1024>>,
    /// Set once [`Srp::claim_once`] has wiped `private`.
    spent: bool,
    /// A bound on the bits of `private`, from its length in bytes (which is not secret).
    private_bits: u32,
    public: U3072,
}

impl fmt::Debug for Srp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Srp")
            .field("private", &"<redacted>")
            .field("public", &self.public_hex())
            .finish()
    }
}

impl Srp {
    /// A fresh private value: 64 bytes from `random`.
    ///
    /// # Errors
    /// The error of `random`, or [`SrpError::ClientPublicIsZero`] if every draw gave A ≡ 0.
    pub fn new(random: &mut dyn FnMut(&mut [u8]) -> Result<(), SrpError>) -> Result<Srp, SrpError> {
        // A mod N is never 0 for a prime N; a few draws only bound the retry that SRP asks for.
        const DRAWS: usize = 4;
        for _ in 0..DRAWS {
            let mut private = Zeroizing::new([0u8; PRIVATE_VALUE_BYTES]);
            random(&mut private[..])?;
            let outcome = Srp::from_private(&private[..]);
            if !matches!(outcome, Err(SrpError::ClientPublicIsZero)) {
                return outcome;
            }
        }
        Err(SrpError::ClientPublicIsZero)
    }

    /// From given private bytes: a big-endian integer of 1 to 128 bytes (the comb computes A for
    /// up to 64; longer values, such as the test vectors', take the generic exponentiation).
    ///
    /// # Errors
    /// [`SrpError::PrivateValueLength`] for an empty or longer slice, and
    /// [`SrpError::ClientPublicIsZero`] if A ≡ 0 (mod N).
    pub fn from_private(a: &[u8]) -> Result<Srp, SrpError> {
        if a.is_empty() || a.len() > MAX_PRIVATE_VALUE_BYTES {
            return Err(SrpError::PrivateValueLength);
        }
        let mut private = Box::new(Zeroizing::new(U1024::ZERO));
        **private = uint_from_be::<{ U1024::LIMBS }>(a).ok_or(SrpError::PrivateValueLength)?;
        let private_bits = 8 * a.len() as u32;
        let public = if private_bits <= COMB_BITS {
            pow_of_two_comb(&private)
        } else {
            Residue::new(&U3072::from_u8(GENERATOR)).pow_bounded_exp(&**private, private_bits)
        }
        .retrieve();
        if public.is_zero_vartime() {
            return Err(SrpError::ClientPublicIsZero);
        }
        Ok(Srp { private, spent: false, private_bits, public })
    }

    /// SRP_A: A in lowercase hexadecimal without leading zeros, as the reference clients send it
    /// (JavaScript's `BigInt.toString(16)`, Python's `'%x'`). Cognito parses SRP_A as a hex
    /// integer and pads it itself, so the leading zeros of a fixed width would only be noise.
    #[must_use]
    pub fn public_hex(&self) -> String {
        lower_hex(&self.public.to_be_bytes())
    }

    /// [`Srp::password_claim`], once: the private value is wiped where it
    /// lives as soon as the answer is made (or has failed), so an exchange
    /// kept by R after its claim holds no secret. Later calls fail with
    /// [`SrpError::Spent`].
    ///
    /// # Errors
    /// Those of [`Srp::password_claim`], and [`SrpError::Spent`].
    pub fn claim_once(
        &mut self,
        challenge: &Challenge<'_>,
        password: &str,
        timestamp: &str,
    ) -> Result<Claim, SrpError> {
        let claim = self.password_claim(challenge, password, timestamp);
        self.private.zeroize();
        self.spent = true;
        claim
    }

    /// Answers a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) challenge. `timestamp` is the
    /// TIMESTAMP that the answer will carry (see [`timestamp`]); it is signed as given.
    ///
    /// # Errors
    /// [`SrpError::NotHex`] or [`SrpError::TooLarge`] for a malformed SALT or SRP_B, and the
    /// refusals of SRP: [`SrpError::ServerPublicIsZero`], [`SrpError::ScramblerIsZero`].
    pub fn password_claim(
        &self,
        challenge: &Challenge<'_>,
        password: &str,
        timestamp: &str,
    ) -> Result<Claim, SrpError> {
        if self.spent {
            return Err(SrpError::Spent);
        }
        let server_public = parse_hex("SRP_B", challenge.srp_b_hex)?;
        let server_residue = server_public_residue(&server_public)?;
        let scrambler = nonzero_scrambler(scrambler(&self.public, &server_public))?;
        let salt = parse_hex("SALT", challenge.salt_hex)?;
        let password_exponent =
            password_exponent(&salt, challenge.pool_name, challenge.user_id, password);
        let premaster = premaster_secret(
            &self.private,
            self.private_bits,
            &server_residue,
            &scrambler,
            &password_exponent,
        );
        let key = derive_key(&premaster, &scrambler)?;
        Ok(Claim {
            signature: claim_signature(&key[..], challenge, timestamp),
            #[cfg(test)]
            key: *key,
        })
    }
}

/// The PASSWORD_VERIFIER challenge's parameters, as received.
#[derive(Debug, Clone, Copy)]
pub struct Challenge<'a> {
    /// The part of the user pool id after '_' (for devices: the DeviceGroupKey).
    pub pool_name: &'a str,
    /// USER_ID_FOR_SRP (for devices: the DeviceKey).
    pub user_id: &'a str,
    pub salt_hex: &'a str,
    pub srp_b_hex: &'a str,
    /// SECRET_BLOCK as received, echoed verbatim in the answer. The signature covers its standard
    /// base64 decoding, or its UTF-8 bytes when it is not standard base64 (moto sends a UUID).
    pub secret_block: &'a str,
}

/// The answer's PASSWORD_CLAIM_SIGNATURE.
pub struct Claim {
    /// base64 of the HMAC-SHA256 signature.
    pub signature: String,
    #[cfg(test)]
    key: [u8; DERIVED_KEY_BYTES],
}

impl fmt::Debug for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claim")
            .field("signature", &"<redacted>")
            .finish()
    }
}

/// A new device's secret for ConfirmDevice: keep `password`, send `verifier` and `salt` as
/// DeviceSecretVerifierConfig's PasswordVerifier and Salt.
pub struct DeviceSecret {
    /// base64 of 40 random bytes; wiped on drop.
    pub password: Zeroizing<String>,
    /// base64(PAD(v)).
    pub verifier: String,
    /// base64(PAD(salt)).
    pub salt: String,
}

impl fmt::Debug for DeviceSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceSecret")
            .field("password", &"<redacted>")
            .field("verifier", &self.verifier)
            .field("salt", &self.salt)
            .finish()
    }
}

/// A device password and its verifier: x = SHA256(PAD(salt) || SHA256(group_key || device_key
/// || ":" || password)), v = g^x mod N.
///
/// # Errors
/// The error of `random`.
pub fn new_device_secret(
    device_group_key: &str,
    device_key: &str,
    random: &mut dyn FnMut(&mut [u8]) -> Result<(), SrpError>,
) -> Result<DeviceSecret, SrpError> {
    let mut password_bytes = Zeroizing::new([0u8; DEVICE_PASSWORD_BYTES]);
    random(&mut password_bytes[..])?;
    let password = Zeroizing::new(base64(&password_bytes[..]));
    let mut salt = [0u8; DEVICE_SALT_BYTES];
    random(&mut salt)?;
    let exponent = password_exponent(&salt, device_group_key, device_key, &password);
    let verifier = pow_of_two(&exponent).retrieve();
    Ok(DeviceSecret {
        password,
        verifier: base64(&pad(&verifier.to_be_bytes())),
        salt: base64(&pad(&salt)),
    })
}

/// SECRET_HASH: base64(HMAC-SHA256(key = client secret, message = username || client id)).
#[must_use]
pub fn secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, client_secret.as_bytes());
    let mut context = hmac::Context::with_key(&key);
    context.update(username.as_bytes());
    context.update(client_id.as_bytes());
    base64(context.sign().as_ref())
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SECONDS_PER_DAY: i64 = 86_400;

/// TIMESTAMP as Cognito checks it: "EEE MMM d HH:mm:ss UTC yyyy" in English and UTC, the day of
/// the month not padded ("Tue Nov 3 01:02:03 UTC 2026"), from Unix seconds.
#[must_use]
pub fn timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(SECONDS_PER_DAY);
    let second_of_day = unix_seconds.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_date(days);
    format!(
        "{} {} {day} {:02}:{:02}:{:02} UTC {year:04}",
        WEEKDAYS[weekday(days)],
        MONTHS[month - 1],
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    )
}

/// Index into `WEEKDAYS` (Sunday = 0) of a count of days since 1970-01-01, a Thursday.
fn weekday(days_since_epoch: i64) -> usize {
    (days_since_epoch + 4).rem_euclid(7) as usize
}

/// (year, month 1..=12, day 1..=31) in the proleptic Gregorian calendar of a count of days since
/// 1970-01-01.
fn civil_date(days_since_epoch: i64) -> (i64, usize, i64) {
    // Counting from 0000-03-01 puts each leap day at the end of its year and makes the calendar
    // repeat every 400 years (146097 days), so only the day within the cycle needs working out.
    const DAYS_FROM_0000_03_01_TO_EPOCH: i64 = 719_468;
    const DAYS_PER_400_YEARS: i64 = 146_097;
    let days = days_since_epoch + DAYS_FROM_0000_03_01_TO_EPOCH;
    let cycle = days.div_euclid(DAYS_PER_400_YEARS);
    let day_of_cycle = days.rem_euclid(DAYS_PER_400_YEARS);
    // Take out the leap days before `day_of_cycle` (one per 4 years, none per 100, one per 400)
    // so that the year is a plain division by 365.
    let year_of_cycle = (day_of_cycle - day_of_cycle / 1_460 + day_of_cycle / 36_524
        - day_of_cycle / 146_096)
        / 365;
    let day_of_year =
        day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
    // Months from March have 31, 30, 31, 30, 31 days, repeating: 153 days per 5 months.
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = cycle * 400 + year_of_cycle + i64::from(month <= 2);
    (year, month as usize, day)
}

/// `(B mod N)` as a residue, refusing B ≡ 0.
fn server_public_residue(server_public: &[u8]) -> Result<Residue, SrpError> {
    let value =
        uint_from_be::<{ U3072::LIMBS }>(server_public).ok_or(SrpError::TooLarge("SRP_B"))?;
    // B < 2^3072 < 2N, so one subtraction reduces it.
    let reduced = if value >= MODULUS {
        value.wrapping_sub(&MODULUS)
    } else {
        value
    };
    if reduced.is_zero_vartime() {
        return Err(SrpError::ServerPublicIsZero);
    }
    Ok(Residue::new(&reduced))
}

/// u = SHA256(PAD(A) || PAD(B)), B as sent (not reduced).
fn scrambler(client_public: &U3072, server_public: &[u8]) -> U256 {
    uint_from_digest(&sha256(&[
        &pad(&client_public.to_be_bytes()),
        &pad(server_public),
    ]))
}

fn nonzero_scrambler(scrambler: U256) -> Result<U256, SrpError> {
    if scrambler.is_zero_vartime() {
        Err(SrpError::ScramblerIsZero)
    } else {
        Ok(scrambler)
    }
}

/// x = SHA256(PAD(salt) || SHA256(pool_name || user_id || ":" || password)).
fn password_exponent(
    salt: &[u8],
    pool_name: &str,
    user_id: &str,
    password: &str,
) -> Zeroizing<U256> {
    let identity = sha256(&[
        pool_name.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]);
    Zeroizing::new(uint_from_digest(&sha256(&[&pad(salt), identity.as_ref()])))
}

/// k = SHA256(PAD(N) || PAD(g)).
fn multiplier() -> U256 {
    uint_from_digest(&sha256(&[&pad(&MODULUS.to_be_bytes()), &pad(&[GENERATOR])]))
}

/// S = (B - k * g^x)^(a + u * x) mod N; `private_bits` bounds the bits of `a`.
fn premaster_secret(
    private: &U1024,
    private_bits: u32,
    server_public: &Residue,
    scrambler: &U256,
    password_exponent: &U256,
) -> Zeroizing<Residue> {
    let password_verifier = Zeroizing::new(pow_of_two(password_exponent));
    let scaled_verifier =
        Zeroizing::new(Residue::new(&multiplier().resize()).mul(&password_verifier));
    let base = Zeroizing::new(server_public.sub(&scaled_verifier));
    let scrambled: Zeroizing<U512> = Zeroizing::new(scrambler.concatenating_mul(password_exponent));
    let exponent: Zeroizing<U1280> =
        Zeroizing::new(private.resize().wrapping_add(&scrambled.resize()));
    let exponent_bits = private_bits.max(SCRAMBLED_PASSWORD_BITS) + 1;
    Zeroizing::new(base.pow_bounded_exp(&exponent, exponent_bits))
}

/// The 16-byte key: HKDF-SHA256 with salt PAD(u), input PAD(S), info "Caldera Derived Key".
fn derive_key(
    premaster: &Residue,
    scrambler: &U256,
) -> Result<Zeroizing<[u8; DERIVED_KEY_BYTES]>, SrpError> {
    struct DerivedKeyLength;
    impl hkdf::KeyType for DerivedKeyLength {
        fn len(&self) -> usize {
            DERIVED_KEY_BYTES
        }
    }
    let premaster_value = Zeroizing::new(premaster.retrieve());
    let premaster_bytes = Zeroizing::new(premaster_value.to_be_bytes());
    let input = Zeroizing::new(pad(&premaster_bytes));
    let pseudorandom_key =
        hkdf::Salt::new(hkdf::HKDF_SHA256, &pad(&scrambler.to_be_bytes())).extract(&input);
    let mut key = Zeroizing::new([0u8; DERIVED_KEY_BYTES]);
    pseudorandom_key
        .expand(&[DERIVED_KEY_INFO], DerivedKeyLength)
        .and_then(|material| material.fill(&mut key[..]))
        .map_err(|_| SrpError::KeyDerivation)?;
    Ok(key)
}

/// base64(HMAC-SHA256(key, pool_name || user_id || SECRET_BLOCK's bytes || timestamp)).
fn claim_signature(key: &[u8], challenge: &Challenge<'_>, timestamp: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut context = hmac::Context::with_key(&key);
    context.update(challenge.pool_name.as_bytes());
    context.update(challenge.user_id.as_bytes());
    context.update(&secret_block_bytes(challenge.secret_block));
    context.update(timestamp.as_bytes());
    base64(context.sign().as_ref())
}

/// SECRET_BLOCK's standard base64 decoding, or its UTF-8 bytes when it is not standard base64.
fn secret_block_bytes(secret_block: &str) -> Vec<u8> {
    base64_simd::STANDARD
        .decode_to_vec(secret_block)
        .unwrap_or_else(|_| secret_block.as_bytes().to_vec())
}

/// 2^exponent mod N for a secret 256-bit exponent, in constant time. A set bit costs a doubling,
/// which is a modular addition, so this is one squaring per bit and no table.
fn pow_of_two(exponent: &U256) -> Residue {
    let mut power = Residue::ONE;
    for bit in (0..U256::BITS).rev() {
        power = power.square();
        let doubled = power.double();
        power.ct_assign(&doubled, exponent.bit(bit));
    }
    power
}

/// 2^exponent mod N for a secret exponent of at most 512 bits (`COMB_BITS`), in constant time, by
/// the comb of `COMB_BASES`.
fn pow_of_two_comb(exponent: &U1024) -> Residue {
    let table = comb_table();
    let mut power = Residue::ONE;
    for column in (0..COMB_ROW_BITS).rev() {
        power = power.square();
        power = power.mul(&select(&table, comb_column(exponent, column)));
    }
    power
}

/// Entry i is the product of the comb's bases whose row bit is set in i.
fn comb_table() -> [Residue; COMB_TABLE_SIZE] {
    let bases = [
        Residue::new(&U3072::from_u8(GENERATOR)),
        COMB_BASES[0],
        COMB_BASES[1],
        COMB_BASES[2],
    ];
    let mut table = [Residue::ONE; COMB_TABLE_SIZE];
    for index in 1..COMB_TABLE_SIZE {
        let highest_row = usize::BITS - 1 - index.leading_zeros();
        let others = index & !(1 << highest_row);
        table[index] = table[others].mul(&bases[highest_row as usize]);
    }
    table
}

/// The table index for one column of the comb: bit `column` of each row of the exponent.
fn comb_column(exponent: &U1024, column: u32) -> u8 {
    (0..COMB_ROWS).fold(0, |index, row| {
        index | (exponent.bit(column + row * COMB_ROW_BITS).to_u8() << row)
    })
}

/// `table[index]`, reading every entry so that the memory access does not depend on `index`.
fn select(table: &[Residue; COMB_TABLE_SIZE], index: u8) -> Residue {
    let mut chosen = Residue::ONE;
    for (position, entry) in (0u8..).zip(table) {
        chosen.ct_assign(entry, Choice::from_u8_eq(position, index));
    }
    chosen
}

fn sha256(parts: &[&[u8]]) -> digest::Digest {
    let mut context = digest::Context::new(&digest::SHA256);
    for part in parts {
        context.update(part);
    }
    context.finish()
}

fn uint_from_digest(digest: &digest::Digest) -> U256 {
    // SHA-256 digests are exactly 32 bytes, which always fit.
    uint_from_be(digest.as_ref()).unwrap_or(U256::ZERO)
}

/// The big-endian integer in `bytes`, or None when it does not fit in `LIMBS` limbs.
fn uint_from_be<const LIMBS: usize>(bytes: &[u8]) -> Option<Uint<LIMBS>> {
    let magnitude = magnitude(bytes);
    let width = Uint::<LIMBS>::BYTES;
    let mut buffer = Zeroizing::new(vec![0u8; width]);
    buffer
        .get_mut(width.checked_sub(magnitude.len())?..)?
        .copy_from_slice(magnitude);
    Some(Uint::from_be_slice(&buffer))
}

/// The big-endian magnitude of a hexadecimal number (odd lengths allowed), without leading zero
/// bytes: the integer that Cognito means, ready for `pad`.
fn parse_hex(field: &'static str, hex: &str) -> Result<Vec<u8>, SrpError> {
    if hex.is_empty() {
        return Err(SrpError::NotHex(field));
    }
    let mut nibbles = Vec::with_capacity(hex.len() + 1);
    if hex.len() % 2 == 1 {
        nibbles.push(0);
    }
    for character in hex.chars() {
        let nibble = character.to_digit(16).ok_or(SrpError::NotHex(field))?;
        nibbles.push(nibble as u8);
    }
    let bytes: Vec<u8> = nibbles
        .chunks_exact(2)
        .map(|pair| pair[0] << 4 | pair[1])
        .collect();
    Ok(magnitude(&bytes).to_vec())
}

/// `bytes` without its leading zero bytes.
fn magnitude(bytes: &[u8]) -> &[u8] {
    let first_nonzero = bytes
        .iter()
        .position(|&byte| byte != 0)
        .unwrap_or(bytes.len());
    &bytes[first_nonzero..]
}

/// PAD: the bytes of Java's `BigInteger.toByteArray` for the non-negative big-endian integer in
/// `bytes`: its magnitude, after a 0x00 when the magnitude is empty or its top bit is set.
fn pad(bytes: &[u8]) -> Vec<u8> {
    let magnitude = magnitude(bytes);
    let mut padded = Vec::with_capacity(magnitude.len() + 1);
    if magnitude.first().is_none_or(|&byte| byte & 0x80 != 0) {
        padded.push(0);
    }
    padded.extend_from_slice(magnitude);
    padded
}

/// Lowercase hexadecimal of a big-endian integer, without leading zeros ("0" for zero).
fn lower_hex(bytes: &[u8]) -> String {
    let Some((first, rest)) = magnitude(bytes).split_first() else {
        return "0".to_owned();
    };
    let mut digits = format!("{first:x}");
    for byte in rest {
        // Writing to a String cannot fail.
        let _ = write!(digits, "{byte:02x}");
    }
    digits
}

fn base64(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET_BLOCK_1: &str = "9ae77ec7154c14dcc487b47707fee4b4920cb96d8a8c045e4c8df879a7b375524aa736acdec6c9ad4ea606774d00621b";
    const TIME_1: &str = "Mon Feb 10 18:30:12 UTC 2025";
    const SECRET_BLOCK_3: &str = "AgV4hdAD1QGtEjsGCfWqnm0TP6RGkzsFlA==";
    const TIME_3: &str = "Tue Nov 3 01:02:03 UTC 2026";
    const SALT_1: &str = "36ef01c6dde9fe503da333b1acc758ba";

    fn vector_srp() -> Srp {
        Srp::from_private(&[0x01; 128]).unwrap()
    }

    fn challenge<'a>(
        pool_name: &'a str,
        user_id: &'a str,
        salt_hex: &'a str,
        srp_b_hex: &'a str,
        secret_block: &'a str,
    ) -> Challenge<'a> {
        Challenge {
            pool_name,
            user_id,
            salt_hex,
            srp_b_hex,
            secret_block,
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    fn check_vector(
        challenge: Challenge<'_>,
        password: &str,
        time: &str,
        key_hex: Option<&str>,
        signature: &str,
    ) {
        let claim = vector_srp()
            .password_claim(&challenge, password, time)
            .unwrap();
        if let Some(key_hex) = key_hex {
            assert_eq!(hex(&claim.key), key_hex);
        }
        assert_eq!(claim.signature, signature);
    }

    #[test]
    fn multiplier_is_the_published_k() {
        assert_eq!(
            hex(&multiplier().to_be_bytes()),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }

    #[test]
    fn vector_v1() {
        check_vector(
            challenge("abc", "user_id", SALT_1, SALT_1, SECRET_BLOCK_1),
            "password",
            TIME_1,
            Some("5d090983f6b04502c9066a80cf439ad0"),
            "apNSb5GZpJciVc6cVNkDf4elCMoWUZcH4aukLlMPiFA=",
        );
    }

    #[test]
    fn vector_v2_odd_length_hex() {
        check_vector(
            challenge("abc", "user_id", "36ef01c", "36ef01c", SECRET_BLOCK_1),
            "password",
            TIME_1,
            Some("8f3ebc160c71c7b61b18b17927302c65"),
            "bVzjSe43mY37A6ZuzEVU5cr6QY1WeV3BPfdVJo0c2/8=",
        );
    }

    #[test]
    fn vector_v3_unicode_and_high_bit() {
        let b = "80".repeat(16);
        check_vector(
            challenge("XyZ123", "üser@example.com", "0a1b2c", &b, SECRET_BLOCK_3),
            "pässwörd",
            TIME_3,
            Some("dae855cf46748d990c13c503ba79bdca"),
            "HI88/kbd7CBro4aVXHh+T8d0WX9gGPw0Rpbby+KXdSg=",
        );
    }

    #[test]
    fn vector_v4_salt_with_leading_zeros() {
        check_vector(
            challenge("XyZ123", "alice", "0012ab", SALT_1, SECRET_BLOCK_3),
            "Passw0rd!!",
            TIME_3,
            Some("89e1cd48f5372f0cde31496aec837d40"),
            "hO+DOSDgvEfRZ97oPGJqPGjzukFGNsklsktX77XBuKg=",
        );
    }

    #[test]
    fn vector_d1_device() {
        check_vector(
            challenge(
                "mock-device-group-key",
                "mock-device-key",
                SALT_1,
                SALT_1,
                SECRET_BLOCK_1,
            ),
            "password",
            TIME_1,
            None,
            "O9uSej4H1B4or3Zc7Q4+KxuSvOaEfuq2a7Ye4d16fmo=",
        );
    }

    #[test]
    fn vector_d2_device_odd_length_hex() {
        check_vector(
            challenge(
                "mock-device-group-key",
                "mock-device-key",
                "36ef01c",
                "36ef01c",
                SECRET_BLOCK_1,
            ),
            "password",
            TIME_1,
            None,
            "eXYI/hzMa/5YWYSk1NFcDMOOBAOg+juflcjl38+xx4I=",
        );
    }

    #[test]
    fn public_hex_is_minimal_lowercase() {
        let public = vector_srp().public_hex();
        assert_eq!(public.len(), 768);
        assert!(public.starts_with("b1ce118779e27c1c"), "{}", &public[..16]);
        assert!(
            public
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        );
        // g^1 = 2: one digit, no padding.
        assert_eq!(Srp::from_private(&[1]).unwrap().public_hex(), "2");
        assert_eq!(Srp::from_private(&[0, 0, 4]).unwrap().public_hex(), "10");
    }

    #[test]
    fn pad_follows_java_to_byte_array() {
        assert_eq!(pad(&[0x80]), [0x00, 0x80]);
        assert_eq!(pad(&[0x7f]), [0x7f]);
        assert_eq!(pad(&[0x00, 0x00, 0x12, 0xab]), [0x12, 0xab]);
        assert_eq!(pad(&[0x00, 0xff, 0x01]), [0x00, 0xff, 0x01]);
        assert_eq!(pad(&[]), [0x00]);
        assert_eq!(pad(&[0x00, 0x00]), [0x00]);
        assert_eq!(pad(&parse_hex("SALT", "0012ab").unwrap()), [0x12, 0xab]);
        assert_eq!(
            pad(&parse_hex("SALT", "36ef01c").unwrap()),
            [0x03, 0x6e, 0xf0, 0x1c]
        );
        assert_eq!(pad(&parse_hex("SALT", "8").unwrap()), [0x08]);
        assert_eq!(pad(&parse_hex("SALT", "80").unwrap()), [0x00, 0x80]);
        assert_eq!(pad(&parse_hex("SALT", "F0a").unwrap()), [0x0f, 0x0a]);
        assert_eq!(pad(&parse_hex("SALT", "000").unwrap()), [0x00]);
    }

    #[test]
    fn bad_hex_is_an_error() {
        for bad in ["", "0x12", "12 34", "zz", "é1", "+1", "-1"] {
            assert_eq!(
                parse_hex("SALT", bad),
                Err(SrpError::NotHex("SALT")),
                "{bad:?}"
            );
        }
        let srp = vector_srp();
        let bad_b = challenge("abc", "user_id", SALT_1, "xyz", SECRET_BLOCK_1);
        assert_eq!(
            srp.password_claim(&bad_b, "password", TIME_1).unwrap_err(),
            SrpError::NotHex("SRP_B")
        );
        let bad_salt = challenge("abc", "user_id", "", SALT_1, SECRET_BLOCK_1);
        assert_eq!(
            srp.password_claim(&bad_salt, "password", TIME_1)
                .unwrap_err(),
            SrpError::NotHex("SALT")
        );
    }

    #[test]
    fn refuses_b_that_is_a_multiple_of_n_or_too_wide() {
        let srp = vector_srp();
        let n_hex = MODULUS_HEX.to_lowercase();
        for zero_b in ["0", "000", &n_hex, &format!("0000{n_hex}")] {
            let c = challenge("abc", "user_id", SALT_1, zero_b, SECRET_BLOCK_1);
            assert_eq!(
                srp.password_claim(&c, "password", TIME_1).unwrap_err(),
                SrpError::ServerPublicIsZero
            );
        }
        let wide = format!("1{}", "0".repeat(768));
        let c = challenge("abc", "user_id", SALT_1, &wide, SECRET_BLOCK_1);
        assert_eq!(
            srp.password_claim(&c, "password", TIME_1).unwrap_err(),
            SrpError::TooLarge("SRP_B")
        );
    }

    #[test]
    fn b_between_n_and_2_to_3072_is_reduced() {
        let srp = vector_srp();
        let b_plus_n = (MODULUS.wrapping_add(&U3072::from_be_slice(&pad_to_3072(
            &parse_hex("B", SALT_1).unwrap(),
        ))))
        .to_be_bytes();
        let reduced = server_public_residue(&b_plus_n).unwrap().retrieve();
        assert_eq!(lower_hex(&reduced.to_be_bytes()), SALT_1);
        // u hashes B as sent, so only the residue is shared; the claim itself still succeeds.
        let b_plus_n_hex = lower_hex(&b_plus_n);
        let c = challenge("abc", "user_id", SALT_1, &b_plus_n_hex, SECRET_BLOCK_1);
        assert!(srp.password_claim(&c, "password", TIME_1).is_ok());
    }

    fn pad_to_3072(bytes: &[u8]) -> Vec<u8> {
        let mut full = vec![0u8; U3072::BYTES - bytes.len()];
        full.extend_from_slice(bytes);
        full
    }

    #[test]
    fn refuses_zero_scrambler() {
        assert_eq!(
            nonzero_scrambler(U256::ZERO),
            Err(SrpError::ScramblerIsZero)
        );
        assert_eq!(nonzero_scrambler(U256::ONE), Ok(U256::ONE));
    }

    #[test]
    fn private_value_length_is_checked() {
        assert_eq!(
            Srp::from_private(&[]).unwrap_err(),
            SrpError::PrivateValueLength
        );
        assert_eq!(
            Srp::from_private(&[1; 129]).unwrap_err(),
            SrpError::PrivateValueLength
        );
        let mut leading_zeros = [0u8; 128];
        leading_zeros[127] = 1;
        assert_eq!(Srp::from_private(&leading_zeros).unwrap().public_hex(), "2");
    }

    #[test]
    fn new_draws_64_bytes_and_reports_a_failing_source() {
        let mut requested = Vec::new();
        let mut counting = |buffer: &mut [u8]| {
            requested.push(buffer.len());
            buffer.fill(0x01);
            Ok(())
        };
        let srp = Srp::new(&mut counting).unwrap();
        assert_eq!(requested, [64]);
        assert_eq!(srp.public_hex(), Srp::from_private(&[0x01; 64]).unwrap().public_hex());
        let mut failing = |_: &mut [u8]| Err(SrpError::RandomSource);
        assert_eq!(Srp::new(&mut failing).unwrap_err(), SrpError::RandomSource);
        let mut system = system_random;
        assert_ne!(
            Srp::new(&mut system).unwrap().public_hex(),
            srp.public_hex()
        );
    }

    /// The exchange as R keeps it (`ExternalPtr::new` boxes it): after the
    /// claim, the memory that held the private value holds zeros only, the
    /// answer is the one an unwiped exchange gives, and a second claim is
    /// refused. Both an answered and a refused challenge use the exchange up.
    #[test]
    fn claim_once_wipes_the_private_value_where_it_lives() {
        let drawn = [0xA7u8; PRIVATE_VALUE_BYTES];
        let mut fill = |buffer: &mut [u8]| {
            buffer.copy_from_slice(&drawn);
            Ok(())
        };
        let srp_b = Srp::from_private(&[0x5a; 128]).unwrap().public_hex();
        let good = challenge("pool", "user", SALT_1, &srp_b, SECRET_BLOCK_1);
        let bad = challenge("pool", "user", "not hex", &srp_b, SECRET_BLOCK_1);
        let expected = Srp::new(&mut fill).unwrap().password_claim(&good, "pw", TIME_1).unwrap().signature;
        for (challenge, answers) in [(good, true), (bad, false)] {
            let mut slot: Box<Srp> = Box::new(Srp::new(&mut fill).unwrap());
            let words = |srp: &Srp| srp.private.as_words().to_vec();
            let held = slot.private.to_be_bytes();
            assert!(held.as_ref().ends_with(&drawn), "the slot holds the drawn value before the claim");
            let address: *const U1024 = &**slot.private;
            let outcome = slot.claim_once(&challenge, "pw", TIME_1);
            assert_eq!(outcome.map(|claim| claim.signature).ok(), answers.then(|| expected.clone()));
            // The same allocation, now all zeros: nothing was moved out and left behind.
            assert!(std::ptr::eq(address, &**slot.private));
            assert!(words(&slot).iter().all(|&word| word == 0), "the private value is wiped in place");
            assert!(slot.spent);
            assert_eq!(slot.claim_once(&good, "pw", TIME_1).map(|_| ()), Err(SrpError::Spent));
            assert_eq!(slot.password_claim(&good, "pw", TIME_1).map(|_| ()), Err(SrpError::Spent));
        }
    }

    #[test]
    fn secret_block_that_is_not_base64_is_signed_as_text() {
        let uuid = "0b5c3a76-3c3e-4a51-9b3b-5d8c7b1e2f10";
        assert_eq!(secret_block_bytes(uuid), uuid.as_bytes());
        assert_eq!(secret_block_bytes(SECRET_BLOCK_3).len(), 25);
        assert_eq!(secret_block_bytes("QUJD"), b"ABC");
        // Missing padding is not standard base64: taken as text.
        assert_eq!(secret_block_bytes("QUI"), b"QUI");
        let claim = vector_srp()
            .password_claim(
                &challenge("abc", "user_id", SALT_1, SALT_1, uuid),
                "password",
                TIME_1,
            )
            .unwrap();
        let key = hmac::Key::new(hmac::HMAC_SHA256, &claim.key);
        let expected = hmac::sign(&key, format!("abcuser_id{uuid}{TIME_1}").as_bytes());
        assert_eq!(claim.signature, base64(expected.as_ref()));
    }

    #[test]
    fn comb_bases_are_repeated_squares_of_two() {
        let two = Residue::new(&U3072::from_u8(2));
        for (row, base) in COMB_BASES.iter().enumerate() {
            assert_eq!(
                &two.square_repeat_vartime(COMB_ROW_BITS * (row as u32 + 1)),
                base,
                "row {}",
                row + 1
            );
        }
    }

    #[test]
    fn fixed_base_powers_match_generic_exponentiation() {
        let two = Residue::new(&U3072::from_u8(2));
        let exponents = [
            U1024::ZERO,
            U1024::ONE,
            U1024::MAX,
            U1024::from_be_slice(&[0x01; 128]),
            U1024::from_be_slice(&[0xa5; 128]),
            U1024::ONE.shl_vartime(1023),
            U1024::ONE.shl_vartime(256),
        ];
        let comb_range = U1024::MAX.shr_vartime(1024 - COMB_BITS);
        for exponent in exponents {
            let low = exponent.bitand(&comb_range);
            assert_eq!(pow_of_two_comb(&low), two.pow(&low));
            let short: U256 = exponent.resize();
            assert_eq!(pow_of_two(&short), two.pow(&short));
        }
    }

    /// The server's side of SRP-6a, written from the protocol rather than from the client's
    /// formula: B = (k v + g^b) mod N, S = (A v^u)^b mod N.
    fn server_key(
        srp: &Srp,
        salt_hex: &str,
        pool: &str,
        user: &str,
        password: &str,
        server_private: &U1024,
    ) -> (String, [u8; 16]) {
        let salt = parse_hex("SALT", salt_hex).unwrap();
        let x = password_exponent(&salt, pool, user, password);
        let generator = Residue::new(&U3072::from_u8(GENERATOR));
        let verifier = generator.pow(&*x);
        let k = Residue::new(&multiplier().resize());
        let b_public = k
            .mul(&verifier)
            .add(&generator.pow(server_private))
            .retrieve();
        let b_bytes = b_public.to_be_bytes();
        let u = scrambler(&srp.public, magnitude(&b_bytes));
        let client_public = Residue::new(&srp.public);
        let premaster = client_public.mul(&verifier.pow(&u)).pow(server_private);
        let key = derive_key(&premaster, &u).unwrap();
        (lower_hex(&b_bytes), *key)
    }

    #[test]
    fn client_key_equals_server_key() {
        let cases = [
            (
                [0x01u8; 128],
                [0x5au8; 128],
                SALT_1,
                "abc",
                "user_id",
                "password",
            ),
            (
                [0xfe; 128],
                [0x17; 128],
                "0012ab",
                "XyZ123",
                "üser@example.com",
                "pässwörd",
            ),
            (
                [0x80; 128],
                [0xff; 128],
                "8",
                "mock-device-group-key",
                "mock-device-key",
                "YWJj",
            ),
        ];
        // The vectors' 128-byte private values, and the 64 bytes of a fresh one (the comb's A and
        // the shorter exponent of S).
        let clients = cases.iter().map(|case| Srp::from_private(&case.0).unwrap()).chain([
            Srp::from_private(&[0xc3; 64]).unwrap(),
            Srp::new(&mut system_random).unwrap(),
        ]);
        let servers = cases.iter().cycle().map(|case| (case.1, case.2, case.3, case.4, case.5));
        for (srp, (server_private, salt, pool, user, password)) in clients.zip(servers) {
            let (b_hex, expected_key) = server_key(
                &srp,
                salt,
                pool,
                user,
                password,
                &U1024::from_be_slice(&server_private),
            );
            let c = challenge(pool, user, salt, &b_hex, SECRET_BLOCK_3);
            let claim = srp.password_claim(&c, password, TIME_3).unwrap();
            assert_eq!(claim.key, expected_key, "{pool}/{user}");
            let wrong = srp.password_claim(&c, "not the password", TIME_3).unwrap();
            assert_ne!(wrong.key, expected_key);
        }
    }

    #[test]
    fn secret_hash_matches_python_hmac() {
        // python3 -c 'import hmac,hashlib,base64; print(base64.b64encode(hmac.new(
        //   b"s3cr3t-client-secret", "üser@example.com6bk2q4ab7d5b2f7o3gnt1i0ckd".encode(),
        //   hashlib.sha256).digest()).decode())'
        assert_eq!(
            secret_hash(
                "üser@example.com",
                "6bk2q4ab7d5b2f7o3gnt1i0ckd",
                "s3cr3t-client-secret"
            ),
            "PUMJxf7NDG0XTA+OT1rsNCTwy6kvvrdxFQY3W5e7fzI="
        );
    }

    #[test]
    fn device_verifier_matches_python_big_integers() {
        // Bytes 0, 1, 2, ... from one counter: the password takes 0..=39, the salt 40..=55.
        let mut counter = 0u8;
        let mut counting = |buffer: &mut [u8]| {
            for byte in buffer.iter_mut() {
                *byte = counter;
                counter = counter.wrapping_add(1);
            }
            Ok(())
        };
        let secret = new_device_secret(
            "-AbCdEfGhI",
            "eu-west-1_0b5c3a76-3c3e-4a51-9b3b-5d8c7b1e2f10",
            &mut counting,
        )
        .unwrap();
        assert_eq!(
            *secret.password,
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJw=="
        );
        assert_eq!(secret.salt, "KCkqKywtLi8wMTIzNDU2Nw==");
        assert_eq!(
            secret.verifier,
            concat!(
                "aB3JGAB73mG0c3krIG07fg0eQLyuWT/68bNOSDZKPTGtF37XLRTH6KRxFEDFRnLb8hhi8cx0FMAVbae/NG9yrOECT1os0f6v",
                "30ipkcbOq0+qnb6jwxukiWCCegDlwjY+S2msl+vkWP7+GRpnDxd3DSGEH5D4hDIyS9PceVdY43S1P4YP3j2ZX7RbAmjrnkjc",
                "C5lu5Q3aqFJTBKaZJJSGJL3tw5heZxFJBATfHjUBkjvJ072OAMVYK7mtGG5biy+W2zJDODDJlKWv41rDxF8QAvLpjlbNSLDT",
                "ld/b+GGJTI9x0gvt2CmAz4yG8Fo5yurYQ6ehpx513UPdCmtoJ7agjCnJC0NDLyFqeM5USd1XRBIVezZP//CR4eV31wCNlj1g",
                "Ouml1rfhrRXZCahW2Zgy5baT5lYya2DJdjpXe21n+bWdvOjVvrEUVfB++zZRdESbCGxukedqarVpha8Gx7ixCy4ckgSkHxDU",
                "rZQRsb5YcJFraOXhqsA5+9Acz4/g7C5J",
            )
        );
    }

    #[test]
    fn device_salt_with_high_bit_gets_a_zero_byte() {
        let mut ones = |buffer: &mut [u8]| {
            buffer.fill(0xff);
            Ok(())
        };
        let secret = new_device_secret("g", "k", &mut ones).unwrap();
        assert_eq!(
            secret.salt,
            base64(&[[0u8].as_slice(), &[0xff; 16]].concat())
        );
    }

    #[test]
    fn debug_output_hides_secrets() {
        let srp = vector_srp();
        assert!(!format!("{srp:?}").contains("0101"));
        let claim = srp
            .password_claim(
                &challenge("abc", "user_id", SALT_1, SALT_1, SECRET_BLOCK_1),
                "password",
                TIME_1,
            )
            .unwrap();
        assert!(!format!("{claim:?}").contains(&claim.signature));
        let mut fixed = |buffer: &mut [u8]| {
            buffer.fill(7);
            Ok(())
        };
        let secret = new_device_secret("g", "k", &mut fixed).unwrap();
        let shown = format!("{secret:?}");
        assert!(!shown.contains(secret.password.as_str()) && shown.contains("<redacted>"));
    }

    #[test]
    fn error_messages_are_short_and_name_the_field() {
        assert_eq!(
            SrpError::NotHex("SALT").to_string(),
            "SALT is not a hexadecimal number"
        );
        assert_eq!(
            SrpError::ServerPublicIsZero.to_string(),
            "SRP_B is a multiple of the SRP modulus"
        );
    }

    #[test]
    fn timestamp_examples() {
        let cases = [
            (0, "Thu Jan 1 00:00:00 UTC 1970"),
            (1_739_212_212, TIME_1),
            (1_793_667_723, TIME_3),
            // Computed with Python's datetime (C locale).
            (-1, "Wed Dec 31 23:59:59 UTC 1969"),
            (951_825_600, "Tue Feb 29 12:00:00 UTC 2000"),
            (4_107_542_399, "Sun Feb 28 23:59:59 UTC 2100"),
            (4_107_542_400, "Mon Mar 1 00:00:00 UTC 2100"),
            (2_147_483_647, "Tue Jan 19 03:14:07 UTC 2038"),
            (2_147_483_648, "Tue Jan 19 03:14:08 UTC 2038"),
            (1_735_689_599, "Tue Dec 31 23:59:59 UTC 2024"),
            (1_735_689_600, "Wed Jan 1 00:00:00 UTC 2025"),
            (-11_670_976_372, "Tue Feb 29 06:07:08 UTC 1600"),
            (-62_135_596_800, "Mon Jan 1 00:00:00 UTC 0001"),
            (253_402_300_799, "Fri Dec 31 23:59:59 UTC 9999"),
            (1_791_536_949, "Fri Oct 9 09:09:09 UTC 2026"),
            (-2_203_891_200, "Thu Mar 1 00:00:00 UTC 1900"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(timestamp(seconds), expected, "{seconds}");
        }
    }

    /// Walks the calendar one day at a time from 1 January 1970 with the leap-year rule, the
    /// slow way, and compares every day in [-300, +300) years with `civil_date` and `weekday`.
    #[test]
    fn civil_date_agrees_with_a_day_by_day_walk() {
        fn days_in_month(year: i64, month: usize) -> i64 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ][month - 1]
        }
        fn next(date: (i64, usize, i64)) -> (i64, usize, i64) {
            let (year, month, day) = date;
            if day < days_in_month(year, month) {
                (year, month, day + 1)
            } else if month < 12 {
                (year, month + 1, 1)
            } else {
                (year + 1, 1, 1)
            }
        }
        fn previous(date: (i64, usize, i64)) -> (i64, usize, i64) {
            let (year, month, day) = date;
            if day > 1 {
                (year, month, day - 1)
            } else if month > 1 {
                (year, month - 1, days_in_month(year, month - 1))
            } else {
                (year - 1, 12, 31)
            }
        }
        let names = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        let mut forward = (1970, 1, 1);
        let mut backward = (1970, 1, 1);
        for days in 0..300 * 366 {
            assert_eq!(civil_date(days), forward);
            assert_eq!(civil_date(-days), backward);
            assert_eq!(WEEKDAYS[weekday(days)], names[days.rem_euclid(7) as usize]);
            assert_eq!(
                WEEKDAYS[weekday(-days)],
                names[(-days).rem_euclid(7) as usize]
            );
            forward = next(forward);
            backward = previous(backward);
        }
    }

    #[test]
    fn timestamp_never_panics_at_the_extremes() {
        for seconds in [i64::MIN, i64::MIN + 1, -1, i64::MAX - 1, i64::MAX] {
            assert!(timestamp(seconds).contains(" UTC "));
        }
    }
}
