#include "loglevel.h"

#include <QJsonDocument>

namespace pw::ui {

namespace {
constexpr qsizetype kScanChars = 200; // as the web UI

bool isWordChar(QChar c) {
    const char16_t u = c.unicode();
    if (u < 0x80) // most log text: no Unicode table lookup
        return (u | 0x20) >= u'a' && (u | 0x20) <= u'z';
    return c.isLetter();
}

// pino/bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
LogLevel fromNumber(int n) {
    if (n >= 50)
        return LogLevel::Error;
    if (n >= 40)
        return LogLevel::Warn;
    if (n >= 30)
        return LogLevel::Info;
    if (n >= 20)
        return LogLevel::Debug;
    return n >= 10 ? LogLevel::Trace : LogLevel::None;
}

// The value after `"key"` in a JSON text: a string's content or a number's digits.
QStringView jsonMember(QStringView text, QStringView key) {
    const qsizetype at = text.indexOf(key);
    if (at < 0)
        return {};
    qsizetype i = at + key.size();
    while (i < text.size() && text.at(i).isSpace())
        ++i;
    if (i >= text.size() || text.at(i) != u':')
        return {};
    ++i;
    while (i < text.size() && text.at(i).isSpace())
        ++i;
    if (i >= text.size())
        return {};
    if (text.at(i) == u'"') {
        const qsizetype end = text.indexOf(u'"', i + 1);
        return end < 0 ? QStringView() : text.mid(i + 1, end - i - 1);
    }
    qsizetype end = i;
    while (end < text.size() && text.at(end).isDigit())
        ++end;
    return text.mid(i, end - i);
}

LogLevel fromJson(QStringView text) {
    for (QStringView key :
         {QStringView(u"\"level\""), QStringView(u"\"severity\""), QStringView(u"\"lvl\"")}) {
        const QStringView value = jsonMember(text, key);
        if (value.isEmpty())
            continue;
        bool number = false;
        const int n = value.toInt(&number);
        const LogLevel level = number ? fromNumber(n) : LogLevels::fromWord(value);
        if (level != LogLevel::None)
            return level;
    }
    return LogLevel::None;
}

bool isUpper(QStringView word) {
    for (QChar c : word)
        if (c.unicode() < u'A' || c.unicode() > u'Z')
            return false;
    return true;
}
} // namespace

namespace LogLevels {

LogLevel fromWord(QStringView word) {
    if (word.size() < 3 || word.size() > 8)
        return LogLevel::None;
    // Most words are no level: the first letter rules them out before any comparison.
    switch (word.front().unicode() | 0x20) {
    case u'a':
    case u'c':
    case u'd':
    case u'e':
    case u'f':
    case u'i':
    case u'n':
    case u'p':
    case u't':
    case u'w':
        break;
    default:
        return LogLevel::None;
    }
    auto is = [word](QStringView w) { return word.compare(w, Qt::CaseInsensitive) == 0; };
    if (is(u"error") || is(u"err") || is(u"fatal") || is(u"critical") || is(u"crit") ||
        is(u"panic") || is(u"emerg") || is(u"alert"))
        return LogLevel::Error;
    if (is(u"warn") || is(u"warning"))
        return LogLevel::Warn;
    if (is(u"info") || is(u"notice"))
        return LogLevel::Info;
    if (is(u"debug"))
        return LogLevel::Debug;
    if (is(u"trace"))
        return LogLevel::Trace;
    return LogLevel::None;
}

bool looksLikeJson(QStringView text) {
    text = text.trimmed();
    return text.size() >= 2 && text.front() == u'{' && text.back() == u'}';
}

LogLevel classify(QStringView text) {
    text = text.left(kScanChars);
    if (text.trimmed().startsWith(u'{'))
        if (const LogLevel level = fromJson(text); level != LogLevel::None)
            return level;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        while (i < n && !isWordChar(text.at(i)))
            ++i;
        const qsizetype start = i;
        while (i < n && isWordChar(text.at(i)))
            ++i;
        if (start == i)
            break;
        const QStringView word = text.mid(start, i - start);
        const QChar before = start > 0 ? text.at(start - 1) : QChar();
        const QChar after = i < n ? text.at(i) : QChar();
        // level=error, lvl=WARN, severity="info"
        if ((after == u'=' || after == u':') &&
            (word.compare(u"level", Qt::CaseInsensitive) == 0 ||
             word.compare(u"lvl", Qt::CaseInsensitive) == 0 ||
             word.compare(u"severity", Qt::CaseInsensitive) == 0)) {
            qsizetype v = i + 1;
            if (v < n && text.at(v) == u'"')
                ++v;
            qsizetype e = v;
            while (e < n && isWordChar(text.at(e)))
                ++e;
            if (const LogLevel level = fromWord(text.mid(v, e - v)); level != LogLevel::None)
                return level;
            continue;
        }
        const bool bracketed = before == u'[' && after == u']';
        if (bracketed || isUpper(word))
            if (const LogLevel level = fromWord(word); level != LogLevel::None)
                return level;
    }
    return LogLevel::None;
}

QString prettyJson(QStringView text) {
    if (!looksLikeJson(text))
        return QString();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return QString();
    QString pretty = QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    while (pretty.endsWith(u'\n'))
        pretty.chop(1);
    return pretty;
}

} // namespace LogLevels

} // namespace pw::ui
