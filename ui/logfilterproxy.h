#pragma once

#include <QRegularExpression>
#include <QSortFilterProxyModel>

namespace pw::ui {

// Shows only the log lines that match (plain text or a regular expression) and, in a merged
// stream, only one source's lines when one is chosen; gap and reconnect markers stay visible
// so a filtered view still shows where lines are missing.
class LogFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Mode { Plain, Regex };
    explicit LogFilterProxy(QObject *parent = nullptr);

    // Returns an error for an invalid regular expression (the filter is then unchanged).
    QString setFilter(const QString &text, Mode mode);
    // Only the lines of `source` ("pod/container"); empty: every source.
    void setSourceFilter(const QString &source);
    QString sourceFilter() const { return m_source; }
    bool isActive() const { return !m_text.isEmpty() || !m_source.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QString m_source;
    Mode m_mode = Mode::Plain;
    QRegularExpression m_regex;
};

} // namespace pw::ui
