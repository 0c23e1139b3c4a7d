#pragma once

#include <QString>

namespace pw::server {

// How much guessing an API token withstands (docs/architecture.md §6). A token below
// kMinimumBits is refused at start-up: with 128 bits, guessing is pointless even without
// throttling.
namespace TokenEntropy {

constexpr int kMinimumBits = 128;

// An upper estimate of the token's entropy in bits: its length times log2 of the alphabet
// it is drawn from: 16 for hexadecimal, otherwise the sum of the character classes it uses
// (26 lower case, 26 upper case, 10 digits, 2 for base64's punctuation "+/-_", 33 for any
// other printable ASCII, 128 for anything else), so base64 and base64url count 64.
// A token of fewer than 8 different characters counts only those ("aaaa…" has none).
double estimateBits(const QString &token);
// How to make a good token, for error messages and the documentation.
QString howToMakeOne();

} // namespace TokenEntropy

} // namespace pw::server
