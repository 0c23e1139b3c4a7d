#pragma once

#include <QDialog>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;

// "Pull images": one reference per line (pasted lists welcome; blank lines and # comments
// are ignored), each validated as you type with the server's own rules
// (ImageReference::parse), bad lines marked with the reason.
class PullDialog : public QDialog {
    Q_OBJECT
public:
    explicit PullDialog(QWidget *parent = nullptr);

    void setText(const QString &text);
    QPlainTextEdit *editor() const { return m_edit; }
    // The references to start, as typed; empty unless every line is valid.
    QStringList references() const { return m_valid; }
    // "line N: why" for each bad line.
    QStringList problems() const { return m_problems; }
    bool canStart() const;

private:
    void validate();

    QPlainTextEdit *m_edit;
    QLabel *m_report;
    QDialogButtonBox *m_buttons;
    QStringList m_valid;
    QStringList m_problems;
};
