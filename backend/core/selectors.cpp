#include "selectors.h"

#include <QJsonValue>

namespace pw::core {

namespace {

// Splits on commas that are not inside parentheses.
QStringList splitTerms(const QString &text) {
    QStringList out;
    int depth = 0;
    QString current;
    for (QChar c : text) {
        if (c == u'(')
            ++depth;
        else if (c == u')')
            --depth;
        if (c == u',' && depth == 0) {
            out << current.trimmed();
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.trimmed().isEmpty() || !out.isEmpty())
        out << current.trimmed();
    return out;
}

// The value at a dotted path such as involvedObject.name.
QJsonValue valueAt(const QJsonObject &object, const QString &dottedPath) {
    QJsonValue current = object;
    for (const QString &part : dottedPath.split(u'.')) {
        if (!current.isObject())
            return QJsonValue(QJsonValue::Undefined);
        current = current.toObject().value(part);
    }
    return current;
}

QString fieldValue(const QJsonObject &object, const QString &path) {
    const QJsonValue v = valueAt(object, path);
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toInteger());
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return QString();
}

} // namespace

bool Selector::parseLabels(const QString &text, QString *error) {
    m_fields = false;
    m_terms.clear();
    for (const QString &raw : splitTerms(text)) {
        if (raw.isEmpty()) {
            *error = QStringLiteral("unable to parse requirement: found '', expected: identifier");
            return false;
        }
        Term t;
        const int notIn = raw.indexOf(QStringLiteral(" notin "));
        const int in = raw.indexOf(QStringLiteral(" in "));
        if (notIn > 0 || in > 0) {
            const bool negate = notIn > 0;
            const int at = negate ? notIn : in;
            t.key = raw.left(at).trimmed();
            QString set = raw.mid(at + (negate ? 7 : 4)).trimmed();
            if (!set.startsWith(u'(') || !set.endsWith(u')')) {
                *error = QStringLiteral("unable to parse requirement: found '%1', expected: '('")
                             .arg(set);
                return false;
            }
            for (const QString &v : set.mid(1, set.size() - 2).split(u','))
                t.values << v.trimmed();
            t.op = negate ? Op::NotIn : Op::In;
        } else if (raw.contains(QStringLiteral("!="))) {
            t.key = raw.section(QStringLiteral("!="), 0, 0).trimmed();
            t.values << raw.section(QStringLiteral("!="), 1).trimmed();
            t.op = Op::NotEquals;
        } else if (raw.contains(u'=')) {
            const int at = raw.indexOf(u'=');
            t.key = raw.left(at).trimmed();
            QString v = raw.mid(at + 1);
            if (v.startsWith(u'='))
                v = v.mid(1);
            t.values << v.trimmed();
            t.op = Op::Equals;
        } else if (raw.startsWith(u'!')) {
            t.key = raw.mid(1).trimmed();
            t.op = Op::NotExists;
        } else {
            t.key = raw;
            t.op = Op::Exists;
        }
        if (t.key.isEmpty() || t.key.contains(u' ')) {
            *error =
                QStringLiteral("unable to parse requirement: invalid label key \"%1\"").arg(t.key);
            return false;
        }
        m_terms << t;
    }
    return true;
}

bool Selector::parseFields(const QString &text, QString *error) {
    m_fields = true;
    m_terms.clear();
    for (const QString &raw : splitTerms(text)) {
        Term t;
        if (raw.contains(QStringLiteral("!="))) {
            t.key = raw.section(QStringLiteral("!="), 0, 0);
            t.values << raw.section(QStringLiteral("!="), 1);
            t.op = Op::NotEquals;
        } else if (raw.contains(u'=')) {
            const int at = raw.indexOf(u'=');
            t.key = raw.left(at);
            QString v = raw.mid(at + 1);
            if (v.startsWith(u'='))
                v = v.mid(1);
            t.values << v;
            t.op = Op::Equals;
        } else {
            *error = QStringLiteral("invalid selector: '%1'; can't understand '%2'").arg(text, raw);
            return false;
        }
        m_terms << t;
    }
    return true;
}

bool Selector::matches(const QJsonObject &object) const {
    const QJsonObject labels = object.value(QStringLiteral("metadata"))
                                   .toObject()
                                   .value(QStringLiteral("labels"))
                                   .toObject();
    for (const Term &t : m_terms) {
        const bool present = m_fields || labels.contains(t.key);
        const QString value = m_fields ? fieldValue(object, t.key) : labels.value(t.key).toString();
        switch (t.op) {
        case Op::Equals:
            if (!present || value != t.values.first())
                return false;
            break;
        case Op::NotEquals:
            if (present && value == t.values.first())
                return false;
            break;
        case Op::In:
            if (!present || !t.values.contains(value))
                return false;
            break;
        case Op::NotIn:
            if (present && t.values.contains(value))
                return false;
            break;
        case Op::Exists:
            if (!present)
                return false;
            break;
        case Op::NotExists:
            if (present)
                return false;
            break;
        }
    }
    return true;
}

} // namespace pw::core
