// Loa's additions to Decap CMS at /admin/ (loa/serve/cms/app.py): the config from the page, the
// Vietnamese words Decap's own "vi" locale lacks, and a preview pane with Loa's problems for the
// file and its live page. A file, not an inline script: the page's Content-Security-Policy refuses
// inline scripts.
(function () {
  "use strict";
  var VI = {
    collection: {
      collectionTop: {viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới", groupBy: "Nhóm theo"},
      groups: {other: "Khác", negateLabel: "Không phải %{label}"}
    },
    editor: {
      editorControl: {field: {widgetLabel: "Trường %{widgetLabel}"}},
      editorControlPane: {i18n: {
        writingInLocale: "Đang viết bằng %{locale}",
        copyFromLocale: "Điền từ ngôn ngữ khác",
        copyFromLocaleConfirm: "Điền nội dung từ bản %{locale}?\nMọi nội dung đang có sẽ bị thay."
      }},
      editorInterface: {toggleI18n: "Bật/tắt bản dịch", togglePreview: "Bật/tắt xem trước",
                        toggleScrollSync: "Cuộn cùng nhau"},
      editorWidgets: {
        markdown: {bold: "In đậm", italic: "In nghiêng", strikethrough: "Gạch ngang", code: "Mã", link: "Liên kết",
                   linkPrompt: "Nhập địa chỉ của liên kết", headings: "Tiêu đề", quote: "Trích dẫn",
                   bulletedList: "Danh sách dấu chấm", numberedList: "Danh sách đánh số",
                   addComponent: "Thêm thành phần",
                   toggleMode: {rich: "Chuyển sang chế độ soạn thảo", markdown: "Chuyển sang chế độ Markdown"}},
        image: {chooseMultiple: "Chọn ảnh", chooseUrl: "Chèn từ địa chỉ", replaceUrl: "Thay bằng địa chỉ",
                promptUrl: "Nhập địa chỉ của ảnh", addMore: "Thêm ảnh", removeAll: "Bỏ mọi ảnh"},
        file: {chooseMultiple: "Chọn tệp", chooseUrl: "Chèn từ địa chỉ", replaceUrl: "Thay bằng địa chỉ",
               promptUrl: "Nhập địa chỉ của tệp", addMore: "Thêm tệp", removeAll: "Bỏ mọi tệp"},
        datetime: {setToNow: "Đặt %{fieldLabel} là bây giờ"},
        list: {add: "Thêm %{item}", addType: "Thêm %{item}"},
        object: {expand: "Mở ra", collapse: "Thu gọn"}
      }
    },
    mediaLibrary: {
      mediaLibraryCard: {copy: "Sao chép", copyUrl: "Sao chép địa chỉ", copyPath: "Sao chép đường dẫn",
                         copyName: "Sao chép tên", copied: "Đã sao chép"},
      mediaLibraryModal: {close: "Đóng"}
    },
    ui: {settingsDropdown: {account: "Tùy chọn tài khoản"}}
  };

  function merge(into, from) {
    Object.keys(from).forEach(function (key) {
      var value = from[key];
      if (value && typeof value === "object") {
        into[key] = merge(into[key] && typeof into[key] === "object" ? into[key] : {}, value);
      } else if (!(key in into)) {
        into[key] = value;  // Decap's own translation, where it has one, stays
      }
    });
    return into;
  }

  var config = JSON.parse(document.getElementById("loa-cms-config").textContent);
  var words = JSON.parse(document.getElementById("loa-cms-words").textContent);
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  CMS.registerLocale("vi", merge(merge({}, CMS.getLocale ? CMS.getLocale("vi") || {} : {}), VI));

  // One long poll of serve's status (as the pages' reload script does, loa/serve/server.py): after each
  // build, the panes shown ask again for their file's problems.
  var listeners = [], version = null;
  function poll() {
    fetch("/__loa/status" + (version === null ? "" : "?since=" + version), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var changed = version !== null && s.version !== version;
        version = s.version;
        if (changed) listeners.slice().forEach(function (f) { f(); });
        setTimeout(poll, 0);
      }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();

  var Problems = createClass({
    getInitialState: function () { return {answer: null}; },
    componentDidMount: function () {
      this.refresh = this.load.bind(this);
      listeners.push(this.refresh);
      this.load();
    },
    componentWillUnmount: function () { listeners = listeners.filter(function (f) { return f !== this.refresh; }, this); },
    componentDidUpdate: function (before) { if (before.path !== this.props.path) this.load(); },
    load: function () {
      var self = this, path = this.props.path;
      if (!path) { self.setState({answer: null}); return; }
      fetch("/api/cms/problems?path=" + encodeURIComponent(path), {cache: "no-store"})
        .then(function (r) { return r.json(); })
        .then(function (answer) { if (self.props.path === path) self.setState({answer: answer}); })
        .catch(function () { self.setState({answer: null}); });
    },
    render: function () {
      var answer = this.state.answer;
      if (!this.props.path) return h("p", {className: "loa-note"}, words.unsaved);
      if (!answer) return h("p", {className: "loa-note"}, words.loading);
      if (!answer.problems) return h("p", {className: "loa-note"}, answer.error || "");
      var items = answer.problems.map(function (p, i) {
        return h("li", {key: i, className: "loa-" + p.severity},
                 h("strong", null, p.severity === "error" ? words.error : words.warning), " ",
                 p.file + ", " + words.line + " " + p.line + ": " + p.message, p.hint ? h("span", null, " (" + p.hint + ")") : null);
      });
      return h("section", {className: "loa-problems", "aria-label": words.problems},
        h("h2", null, words.problems),
        items.length ? h("ul", null, items) : h("p", null, words.none),
        answer.page ? h("p", null, h("a", {href: location.origin + answer.page, target: "_blank", rel: "noopener"}, words.open)) : null,
        answer.page ? h("iframe", {src: location.origin + answer.page, title: words.live, className: "loa-live"}) : null);
    }
  });

  var Preview = createClass({
    render: function () {
      var entry = this.props.entry;
      return h("div", {lang: "vi", style: {fontFamily: "sans-serif", padding: "1em"}},
               h(Problems, {path: entry.get("path") || ""}));
    }
  });
  CMS.registerPreviewStyle("/admin/loa-admin.css");
  (config.collections || []).forEach(function (collection) {
    CMS.registerPreviewTemplate(collection.name, Preview);
  });
  CMS.init({config: config});
})();
