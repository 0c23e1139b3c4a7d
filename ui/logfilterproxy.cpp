#include "logfilterproxy.h"

#include "logmodel.h"

namespace pw::ui {

LogFilterProxy::LogFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent) {}

QString LogFilterProxy::setFilter(const QString &text, Mode mode) {
    QRegularExpression regex;
    if (mode == Mode::Regex && !text.isEmpty()) {
        regex = QRegularExpression(text, QRegularExpression::CaseInsensitiveOption);
        if (!regex.isValid())
            return regex.errorString();
        regex.optimize();
    }
    m_text = text;
    m_mode = mode;
    m_regex = regex;
    invalidateRowsFilter();
    return QString();
}

void LogFilterProxy::setSourceFilter(const QString &source) {
    if (source == m_source)
        return;
    m_source = source;
    invalidateRowsFilter();
}

bool LogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    if (!isActive())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (index.data(LogModel::KindRole).toInt() != int(LogModel::Kind::Line))
        return true;
    if (!m_source.isEmpty() && index.data(LogModel::SourceRole).toString() != m_source)
        return false;
    if (m_text.isEmpty())
        return true;
    const QString line = index.data(Qt::DisplayRole).toString();
    return m_mode == Mode::Plain ? line.contains(m_text, Qt::CaseInsensitive)
                                 : m_regex.match(line).hasMatch();
}

} // namespace pw::ui
