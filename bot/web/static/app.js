/* The ask page: questions over /api/ask, copy-ready citations, feedback.
 * Every string from the server is placed with textContent (never innerHTML).
 * Links and forms still work without this script (the server renders /?q=…). */
(function () {
  'use strict';

  var form = document.getElementById('ask-form');
  var input = document.getElementById('q');
  var result = document.getElementById('result');
  var errorBox = document.getElementById('error');
  var askButton = document.getElementById('ask-button');
  var PATH_SEPARATOR = ' › ';
  var busy = false;
  var contactNames = {};
  try {
    contactNames = JSON.parse((result && result.getAttribute('data-contacts')) || '{}') || {};
  } catch (e) { contactNames = {}; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function unitUrl(id) {
    return '/unit/' + encodeURIComponent(id).replace(/%3A/gi, ':');
  }

  function askUrl(q) {
    return '/?q=' + encodeURIComponent(q);
  }

  function showError(message) {
    if (!errorBox) { return; }
    errorBox.textContent = message || '';
    errorBox.hidden = !message;
  }

  function postJson(url, payload) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
      credentials: 'same-origin'
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      }, function () {
        return { ok: false, status: response.status, data: {} };
      });
    });
  }

  // ---- asking --------------------------------------------------------------------------------
  function ask(question) {
    question = (question || '').trim();
    if (!question) {
      showError('请输入您的问题，例如：专利可以拿去银行贷款吗？');
      if (input) { input.focus(); }
      return;
    }
    if (busy) { return; }
    busy = true;
    if (input) { input.value = question; }
    if (askButton) { askButton.disabled = true; askButton.textContent = '正在查找…'; }
    showError('');
    postJson('/api/ask', { q: question }).then(function (reply) {
      if (!reply.ok) {
        showError(reply.data.message || '请求没有成功，请稍后再试。');
        return;
      }
      renderAnswer(reply.data);
      if (window.history && history.replaceState) {
        history.replaceState(null, '', askUrl(question));
      }
    }, function () {
      showError('网络连接失败，请检查网络后再试。');
    }).then(function () {
      busy = false;
      if (askButton) { askButton.disabled = false; askButton.textContent = '提问'; }
    });
  }

  function renderAnswer(a) {
    var section = el('section', 'answer');
    section.setAttribute('data-question-id', String(a.question_id));
    section.appendChild(el('p', 'asked', '问：' + a.question));
    section.appendChild(el('div', a.answered ? 'answer-text' : 'answer-text fallback', a.answer));

    if (a.suggestions && a.suggestions.length) {
      var box = el('div', 'suggestions');
      box.appendChild(el('p', null, '您是不是想问：'));
      a.suggestions.forEach(function (s) {
        var link = el('a', 'ask-q suggestion', s.question);
        link.href = askUrl(s.question);
        link.setAttribute('data-q', s.question);
        box.appendChild(link);
      });
      section.appendChild(box);
    }

    if (a.citations && a.citations.length) {
      section.appendChild(el('h2', 'cite-title', '规划原文依据'));
      var list = el('ol', 'citations');
      a.citations.forEach(function (c) {
        var item = el('li', 'citation');
        item.setAttribute('data-id', c.id);
        item.appendChild(el('p', 'cite-path', (c.path || []).join(PATH_SEPARATOR)));
        item.appendChild(el('blockquote', 'cite-quote', c.quote));
        item.appendChild(el('p', 'cite-ref', c.reference));
        var actions = el('p', 'cite-actions');
        var copy = el('button', 'copy', '复制引用');
        copy.type = 'button';
        copy.setAttribute('data-copy', c.reference + '：' + c.quote);
        actions.appendChild(copy);
        var link = el('a', null, '查看原文');
        link.href = unitUrl(c.id);
        actions.appendChild(link);
        item.appendChild(actions);
        list.appendChild(item);
      });
      section.appendChild(list);
    }

    var known = (a.contacts || []).filter(function (id) { return contactNames.hasOwnProperty(id); });
    if (known.length) {
      var hint = el('p', 'contacts-hint', '可以联系：');
      known.forEach(function (id, i) {
        if (i) { hint.appendChild(document.createTextNode('、')); }
        var contactLink = el('a', null, contactNames[id]);
        contactLink.href = '/contacts#' + encodeURIComponent(id);
        hint.appendChild(contactLink);
      });
      section.appendChild(hint);
    }

    var feedback = el('div', 'feedback');
    feedback.appendChild(el('span', null, '这个回答有帮助吗？'));
    [['1', '👍 有帮助'], ['-1', '👎 没帮助']].forEach(function (pair) {
      var b = el('button', 'fb', pair[1]);
      b.type = 'button';
      b.setAttribute('data-value', pair[0]);
      b.setAttribute('aria-pressed', 'false');
      feedback.appendChild(b);
    });
    var status = el('span', 'fb-status');
    status.setAttribute('role', 'status');
    feedback.appendChild(status);
    section.appendChild(feedback);

    while (result.firstChild) { result.removeChild(result.firstChild); }
    result.appendChild(section);
    if (section.scrollIntoView) { section.scrollIntoView({ block: 'start', behavior: 'smooth' }); }
  }

  // ---- copying -------------------------------------------------------------------------------
  function copyWithTextarea(text) {
    var buffer = el('textarea', 'copy-buffer');
    buffer.value = text;
    buffer.setAttribute('readonly', '');
    document.body.appendChild(buffer);
    buffer.focus();
    buffer.select();
    buffer.setSelectionRange(0, text.length);
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(buffer);
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(null, function () {
        if (!copyWithTextarea(text)) { throw new Error('copy failed'); }
      });
    }
    return copyWithTextarea(text) ? Promise.resolve() : Promise.reject(new Error('copy failed'));
  }

  function copied(button) {
    button.textContent = '已复制';
    button.classList.add('copied');
    window.setTimeout(function () {
      button.textContent = '复制引用';
      button.classList.remove('copied');
    }, 2500);
  }

  function showForManualCopy(button, text) {
    // Browsers that refuse both ways (some in-app browsers): show the text selected for a long press.
    var holder = button.parentNode;
    Array.prototype.forEach.call(holder.querySelectorAll('.copy-manual, .copy-hint'), function (old) {
      old.parentNode.removeChild(old);
    });
    var area = el('textarea', 'copy-manual');
    area.value = text;
    area.setAttribute('readonly', '');
    area.setAttribute('aria-label', '引用文字');
    holder.appendChild(el('span', 'copy-hint', '无法自动复制，请长按下面的文字复制：'));
    holder.appendChild(area);
    area.focus();
    area.select();
  }

  // ---- feedback ------------------------------------------------------------------------------
  function sendFeedback(button) {
    var section = button.closest('.answer');
    var status = section.querySelector('.fb-status');
    var id = parseInt(section.getAttribute('data-question-id'), 10);
    var value = parseInt(button.getAttribute('data-value'), 10);
    postJson('/api/feedback', { question_id: id, value: value }).then(function (reply) {
      if (reply.ok) {
        section.querySelectorAll('.fb').forEach(function (b) { b.setAttribute('aria-pressed', String(b === button)); });
      }
      status.textContent = reply.data.message || (reply.ok ? '谢谢您的反馈！' : '评价没有成功，请稍后再试。');
    }, function () {
      status.textContent = '网络连接失败，评价没有成功。';
    });
  }

  // ---- wiring (delegated, so server-rendered and script-rendered answers behave alike) ------
  document.addEventListener('click', function (event) {
    var target = event.target.closest ? event.target.closest('button, a') : null;
    if (!target) { return; }
    if (target.classList.contains('copy')) {
      var text = target.getAttribute('data-copy') || '';
      copyText(text).then(function () { copied(target); }, function () { showForManualCopy(target, text); });
    } else if (target.classList.contains('fb')) {
      sendFeedback(target);
    } else if (target.classList.contains('ask-q') && form) {
      event.preventDefault();
      ask(target.getAttribute('data-q'));
    }
  });

  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      ask(input.value);
    });
    input.addEventListener('keydown', function (event) {
      // Enter sends; Shift+Enter is a new line; Enter while composing pinyin only picks characters.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        ask(input.value);
      }
    });
  }
})();
