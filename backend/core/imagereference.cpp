#include "imagereference.h"

#include <QList>

namespace pw::core {

namespace {

const QString kDefaultDomain = QStringLiteral("docker.io");

bool isLowerAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}

bool isWordChar(QChar c)
{
    return isLowerAlnum(c) || (c >= u'A' && c <= u'Z') || c == u'_';
}

QString describe(QChar c)
{
    if (c.unicode() < 0x20 || c.unicode() == 0x7f)
        return QStringLiteral("control character U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
    return QStringLiteral("'%1'").arg(c);
}

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*; separator := [_.] | __ | -+
QString pathComponentError(QStringView part)
{
    if (part.isEmpty())
        return QStringLiteral("repository path has an empty component ('//' or a '/' at an end)");
    if (!isLowerAlnum(part.front()) || !isLowerAlnum(part.back()))
        return QStringLiteral("repository path component '%1' must start and end with a lowercase "
                              "letter or digit")
            .arg(part);
    for (qsizetype i = 0; i < part.size(); ++i) {
        const QChar c = part[i];
        if (c >= u'A' && c <= u'Z')
            return QStringLiteral("repository name must be lowercase ('%1')").arg(part);
        if (!isLowerAlnum(c) && c != u'.' && c != u'_' && c != u'-')
            return QStringLiteral("repository path has the invalid %1; allowed are lowercase "
                                  "letters, digits, '.', '_', '-' and '/'")
                .arg(describe(c));
        if (c == u'.' && (part[i + 1] == u'.' || part[i + 1] == u'_' || part[i + 1] == u'-'))
            return QStringLiteral("repository path component '%1' has two separators in a row")
                .arg(part);
        if (c == u'_' && i + 2 < part.size() && part[i + 1] == u'_' && part[i + 2] == u'_')
            return QStringLiteral("repository path component '%1' has more than two '_' in a row")
                .arg(part);
        if (c == u'_' && (part[i + 1] == u'.' || part[i + 1] == u'-'))
            return QStringLiteral("repository path component '%1' has two separators in a row")
                .arg(part);
    }
    return {};
}

// domain := component ('.' component)* [':' port]; component := [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?
// or a bracketed IPv6 address with an optional port.
QString domainError(QStringView domain)
{
    QStringView host = domain;
    QStringView port;
    if (domain.startsWith(u'[')) {
        const qsizetype close = domain.indexOf(u']');
        if (close < 0)
            return QStringLiteral("registry host '%1' has an unclosed '['").arg(domain);
        for (QChar c : domain.mid(1, close - 1))
            if (!c.isDigit() && !(c >= u'a' && c <= u'f') && !(c >= u'A' && c <= u'F') && c != u':')
                return QStringLiteral("registry host '%1' is not an IPv6 address").arg(domain);
        const QStringView rest = domain.mid(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(u':'))
            return QStringLiteral("registry host '%1' has text after ']'").arg(domain);
        port = rest.isEmpty() ? QStringView() : rest.mid(1);
        host = {};
        if (rest.startsWith(u':') && port.isEmpty())
            return QStringLiteral("registry host '%1' has an empty port").arg(domain);
    } else {
        const qsizetype colon = domain.indexOf(u':');
        if (colon >= 0) {
            host = domain.left(colon);
            port = domain.mid(colon + 1);
            if (port.isEmpty())
                return QStringLiteral("registry host '%1' has an empty port").arg(domain);
        }
    }
    if (!port.isEmpty()) {
        bool ok = false;
        const int number = port.toInt(&ok);
        if (!ok || number < 1 || number > 65535 || port.startsWith(u'+'))
            return QStringLiteral("registry port '%1' must be a number from 1 to 65535").arg(port);
    }
    if (host.isNull())
        return {};
    for (QStringView component : host.split(u'.')) {
        if (component.isEmpty())
            return QStringLiteral("registry host '%1' has an empty label").arg(host);
        for (QChar c : component)
            if (!(c.isLetterOrNumber() && c.unicode() < 0x80) && c != u'-')
                return QStringLiteral("registry host '%1' has the invalid %2").arg(host, describe(c));
        if (component.front() == u'-' || component.back() == u'-')
            return QStringLiteral("registry host label '%1' must not start or end with '-'")
                .arg(component);
    }
    return {};
}

QString tagError(QStringView tag)
{
    if (tag.isEmpty())
        return QStringLiteral("tag is empty after ':'");
    if (tag.size() > ImageReference::kMaxTagLength)
        return QStringLiteral("tag is %1 characters long; at most 128 are allowed").arg(tag.size());
    if (!isWordChar(tag.front()))
        return QStringLiteral("tag '%1' must start with a letter, digit or '_'").arg(tag);
    for (QChar c : tag)
        if (!isWordChar(c) && c != u'.' && c != u'-')
            return QStringLiteral("tag has the invalid %1; allowed are letters, digits, '_', '.' "
                                  "and '-'")
                .arg(describe(c));
    return {};
}

QString digestError(QStringView digest)
{
    static const QString allowed = QStringLiteral("a digest must be sha256: followed by 64 "
                                                  "lowercase hex digits");
    if (!digest.startsWith(u"sha256:"))
        return allowed;
    const QStringView hex = digest.mid(7);
    if (hex.size() != 64)
        return allowed;
    for (QChar c : hex)
        if (!c.isDigit() && !(c >= u'a' && c <= u'f'))
            return allowed;
    return {};
}

} // namespace

Result<ImageReference> ImageReference::parse(QStringView text)
{
    using R = Result<ImageReference>;
    if (text.isEmpty())
        return R::failure(QStringLiteral("image reference is empty"));
    if (text.size() > kMaxInputLength)
        return R::failure(QStringLiteral("image reference is %1 characters long; at most %2 are "
                                         "allowed")
                              .arg(text.size())
                              .arg(kMaxInputLength));
    for (QChar c : text)
        if (c.isSpace() || c.unicode() < 0x20 || c.unicode() >= 0x7f)
            return R::failure(QStringLiteral("image reference has the invalid %1; only printable "
                                             "ASCII without spaces is allowed")
                                  .arg(describe(c)));

    ImageReference ref;
    ref.m_written = text.toString();
    QStringView rest = text;
    const qsizetype at = rest.indexOf(u'@');
    if (at >= 0) {
        ref.m_digest = rest.mid(at + 1).toString();
        const QString err = digestError(ref.m_digest);
        if (!err.isEmpty())
            return R::failure(err);
        rest = rest.left(at);
    }
    // A ':' after the last '/' starts the tag; one before it belongs to a registry port.
    const qsizetype lastSlash = rest.lastIndexOf(u'/');
    const qsizetype colon = rest.lastIndexOf(u':');
    if (colon > lastSlash) {
        ref.m_tag = rest.mid(colon + 1).toString();
        const QString err = tagError(ref.m_tag);
        if (!err.isEmpty())
            return R::failure(err);
        rest = rest.left(colon);
    }
    if (rest.isEmpty())
        return R::failure(QStringLiteral("image reference has no repository name"));

    // The first component is a registry host when it has a '.' or ':', is localhost, or has
    // an uppercase letter (Docker's rule); otherwise the image is on Docker Hub.
    const qsizetype slash = rest.indexOf(u'/');
    QStringView path = rest;
    if (slash >= 0) {
        const QStringView first = rest.left(slash);
        const bool isDomain = first.contains(u'.') || first.contains(u':')
            || first == u"localhost" || first.toString().toLower() != first;
        if (isDomain) {
            const QString err = domainError(first);
            if (!err.isEmpty())
                return R::failure(err);
            ref.m_domain = first.toString();
            path = rest.mid(slash + 1);
        }
    }
    if (ref.m_domain.isEmpty() || ref.m_domain == u"index.docker.io")
        ref.m_domain = kDefaultDomain;
    for (QStringView part : path.split(u'/')) {
        const QString err = pathComponentError(part);
        if (!err.isEmpty())
            return R::failure(err);
    }
    ref.m_path = path.toString();
    if (ref.m_domain == kDefaultDomain && !ref.m_path.contains(u'/'))
        ref.m_path.prepend(QStringLiteral("library/"));
    // Counted as typed (registry and path, without tag or digest): a user who typed 300
    // characters is told 300, not the length after docker.io/library/ was added.
    if (rest.size() > kMaxNameLength)
        return R::failure(QStringLiteral("repository name is %1 characters long; at most %2 are "
                                         "allowed")
                              .arg(rest.size())
                              .arg(kMaxNameLength));
    if (ref.repository().size() > kMaxNameLength)
        return R::failure(QStringLiteral("repository name is %1 characters long as typed, %2 with "
                                         "the registry and path Docker adds (%3); at most %4 are "
                                         "allowed")
                              .arg(rest.size())
                              .arg(ref.repository().size())
                              .arg(ref.repository().left(ref.repository().size() - rest.size()))
                              .arg(kMaxNameLength));
    return ref;
}

QString ImageReference::repository() const
{
    return m_domain + u'/' + m_path;
}

QString ImageReference::familiarName() const
{
    if (m_domain != kDefaultDomain)
        return repository();
    if (m_path.startsWith(QStringLiteral("library/")) && m_path.count(u'/') == 1)
        return m_path.mid(8);
    return m_path;
}

QString ImageReference::toString() const
{
    QString s = repository();
    if (!m_tag.isEmpty() || m_digest.isEmpty())
        s += u':' + (m_tag.isEmpty() ? QStringLiteral("latest") : m_tag);
    if (!m_digest.isEmpty())
        s += u'@' + m_digest;
    return s;
}

QString ImageReference::tagOrDigest() const
{
    if (!m_tag.isEmpty())
        return m_tag;
    if (!m_digest.isEmpty())
        return m_digest;
    return QStringLiteral("latest");
}

QString ImageReference::host() const
{
    if (m_domain.startsWith(u'['))
        return m_domain.left(m_domain.indexOf(u']') + 1).toLower();
    const qsizetype colon = m_domain.indexOf(u':');
    return (colon < 0 ? m_domain : m_domain.left(colon)).toLower();
}

int ImageReference::port() const
{
    const qsizetype close = m_domain.startsWith(u'[') ? m_domain.indexOf(u']') : -1;
    const qsizetype colon = m_domain.indexOf(u':', close + 1);
    return colon < 0 ? 0 : m_domain.mid(colon + 1).toInt();
}

} // namespace pw::core
