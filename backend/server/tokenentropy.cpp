#include "tokenentropy.h"

#include <QSet>

#include <cmath>

namespace pw::server {

namespace {

bool isHex(QChar c) {
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

// The punctuation of base64 (RFC 4648 §4) and base64url (§5).
bool isBase64Punctuation(QChar c) {
    return c == u'+' || c == u'/' || c == u'-' || c == u'_';
}

// Random tokens of 128 bits or more use at least this many different characters (32 hex
// digits: 14 on average; fewer than 8 happens with a probability below 1e-6).
constexpr qsizetype kFewCharacters = 8;

} // namespace

namespace TokenEntropy {

double estimateBits(const QString &token) {
    bool hex = true;
    bool lower = false, upper = false, digit = false, base64 = false, other = false, wide = false;
    qsizetype symbols = 0;
    QSet<QChar> distinct;
    for (qsizetype i = 0; i < token.size(); ++i) {
        const QChar c = token.at(i);
        if (c == u'=' && i >= token.size() - 2)
            continue; // base64 padding carries nothing
        ++symbols;
        distinct.insert(c);
        hex = hex && isHex(c);
        if (c >= u'a' && c <= u'z')
            lower = true;
        else if (c >= u'A' && c <= u'Z')
            upper = true;
        else if (c >= u'0' && c <= u'9')
            digit = true;
        else if (isBase64Punctuation(c))
            base64 = true;
        else if (c.unicode() > 0x20 && c.unicode() < 0x7f)
            other = true;
        else
            wide = true;
    }
    // Other punctuation widens the alphabet to all of printable ASCII's; base64's two
    // symbols only by two.
    const int punctuation = other ? 33 : base64 ? 2 : 0;
    int alphabet = hex ? 16
                       : (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + punctuation +
                             (wide ? 128 : 0);
    // A token made of a few characters ("aaaa…", "abab…") is drawn from those only.
    if (distinct.size() < kFewCharacters)
        alphabet = int(distinct.size());
    if (symbols == 0 || alphabet < 2)
        return 0;
    return double(symbols) * std::log2(double(alphabet));
}

QString howToMakeOne() {
    return QStringLiteral("make one with: head -c 32 /dev/urandom | base64");
}

} // namespace TokenEntropy

} // namespace pw::server
