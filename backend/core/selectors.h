#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace pw::core {

// Label selectors (k8s.io/apimachinery labels.Parse: =, ==, !=, in, notin, exists, !exists)
// and field selectors (=, ==, != on dotted paths such as involvedObject.name).
class Selector {
public:
    // Parses; on a syntax error returns false and sets *error to the apiserver's message.
    bool parseLabels(const QString &text, QString *error);
    bool parseFields(const QString &text, QString *error);
    bool isEmpty() const { return m_terms.isEmpty(); }
    // Labels are matched against metadata.labels, fields against the object's paths.
    bool matches(const QJsonObject &object) const;

private:
    enum class Op { Equals, NotEquals, In, NotIn, Exists, NotExists };
    struct Term {
        QString key;
        Op op;
        QStringList values;
    };
    bool m_fields = false;
    QList<Term> m_terms;
};

} // namespace pw::core
