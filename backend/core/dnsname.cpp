#include "dnsname.h"

namespace pw::core {

namespace {

bool isAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}

// Checks one label's characters; returns the problem or an empty string.
QString labelProblem(QStringView label)
{
    if (label.isEmpty())
        return QStringLiteral("an empty label");
    for (qsizetype i = 0; i < label.size(); ++i) {
        const QChar c = label[i];
        if (!isAlnum(c) && c != u'-') {
            if (c >= u'A' && c <= u'Z')
                return QStringLiteral("an uppercase letter");
            return QStringLiteral("the character U+%1 at position %2")
                .arg(c.unicode(), 4, 16, QLatin1Char('0'))
                .arg(i + 1);
        }
    }
    if (!isAlnum(label.front()) || !isAlnum(label.back()))
        return QStringLiteral("a '-' at the start or end");
    return {};
}

QString fieldText(QStringView field)
{
    return field.toString();
}

} // namespace

namespace DnsName {

QString labelError(QStringView name, QStringView field)
{
    static const QString allowed = QStringLiteral(
        "must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and "
        "ending with a letter or digit");
    if (name.isEmpty())
        return fieldText(field) + QStringLiteral(" is empty; it ") + allowed;
    if (name.size() > kMaxLabel)
        return QStringLiteral("%1 is %2 characters long; it %3")
            .arg(fieldText(field))
            .arg(name.size())
            .arg(allowed);
    const QString problem = labelProblem(name);
    if (!problem.isEmpty())
        return QStringLiteral("%1 has %2; it %3").arg(fieldText(field), problem, allowed);
    return {};
}

QString subdomainError(QStringView name, QStringView field)
{
    static const QString allowed = QStringLiteral(
        "must be a DNS-1123 subdomain: at most 253 characters, dot-separated labels of "
        "lowercase letters, digits or '-', each starting and ending with a letter or digit");
    if (name.isEmpty())
        return fieldText(field) + QStringLiteral(" is empty; it ") + allowed;
    if (name.size() > kMaxSubdomain)
        return QStringLiteral("%1 is %2 characters long; it %3")
            .arg(fieldText(field))
            .arg(name.size())
            .arg(allowed);
    qsizetype start = 0;
    while (start <= name.size()) {
        qsizetype dot = name.indexOf(u'.', start);
        if (dot < 0)
            dot = name.size();
        const QString problem = labelProblem(name.mid(start, dot - start));
        if (!problem.isEmpty())
            return QStringLiteral("%1 has %2; it %3").arg(fieldText(field), problem, allowed);
        start = dot + 1;
    }
    return {};
}

} // namespace DnsName

} // namespace pw::core
