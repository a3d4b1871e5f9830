/* comment_form.js: optional improvement of the comment forms
 * (truffles_comments/form.html). Without it the forms post normally and the
 * receiver answers with its own thank-you or error page.
 *
 * A page has one form. Without this script each comment's "Reply" link opens
 * that comment's reply page. With it, "Reply" moves the page's form under the
 * comment instead (options[parent] set, heading "Reply to <author>", focus on
 * the first field); "Cancel reply" or Escape puts the form back after the
 * thread and focus back on the "Reply" link.
 *
 * With it, a form is sent in the background (fetch, Accept: application/json):
 *  - accepted: the form is replaced by "Thank you, your comment is awaiting
 *    moderation", which receives focus so screen readers announce it;
 *  - refused: each message is written next to its field (the field's
 *    aria-describedby already points at it), the field is marked
 *    aria-invalid, a summary goes to the form's status region and focus moves
 *    to the first field to fix;
 *  - anything else (network error, the receiver or the Content-Security-Policy
 *    not allowing the request, an unexpected answer): the form is simply
 *    submitted the ordinary way, so nothing is lost.
 * Loaded as a separate file with `defer` (CSP script-src 'self'); no inline script.
 */
(function () {
  "use strict";

  if (!window.fetch || !window.FormData || !window.URLSearchParams || !document.querySelectorAll) {
    return;
  }

  function statusOf(form) {
    return form.querySelector(".tc-form__status");
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-tc-error-for]"), function (el) {
      el.textContent = "";
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
    var status = statusOf(form);
    if (status) {
      status.textContent = "";
    }
  }

  function fieldNamed(form, name) {
    for (var i = 0; i < form.elements.length; i += 1) {
      if (form.elements[i].name === name && form.elements[i].type !== "hidden") {
        return form.elements[i];
      }
    }
    return null;
  }

  function showErrors(form, answer) {
    var firstField = null;
    var general = [];
    (answer.errors || []).forEach(function (error) {
      var slot = error.field ? form.querySelector('[data-tc-error-for="' + error.field + '"]') : null;
      var field = error.field ? fieldNamed(form, error.field) : null;
      if (slot && field) {
        slot.textContent = error.message;
        field.setAttribute("aria-invalid", "true");
        if (!firstField) {
          firstField = field;
        }
      } else {
        general.push(error.message);
      }
    });
    var status = statusOf(form);
    var summary = "Your comment was not sent.";
    if (firstField) {
      summary += " Please correct the marked fields.";
    }
    if (general.length) {
      summary += " " + general.join(" ");
    }
    if (status) {
      status.textContent = summary;
    }
    if (firstField) {
      firstField.focus();
    } else if (status) {
      status.focus();
    }
  }

  function showThanks(form) {
    var done = document.createElement("div");
    done.className = "tc-form__done";
    done.setAttribute("role", "status");
    done.setAttribute("tabindex", "-1");
    var heading = document.createElement("p");
    heading.className = "tc-form__done-title";
    heading.textContent = "Thank you, your comment is awaiting moderation.";
    var more = document.createElement("p");
    more.textContent = "A moderator reads every comment before it is published; it will appear on this page once approved.";
    done.appendChild(heading);
    done.appendChild(more);
    form.reset();
    form.hidden = true;
    form.parentNode.insertBefore(done, form);
    done.focus();
    form.dispatchEvent(new CustomEvent("tc:sent"));
  }

  function plainSubmit(form) {
    form.removeAttribute("data-tc-busy");
    HTMLFormElement.prototype.submit.call(form);
  }

  function onSubmit(event) {
    var form = event.currentTarget;
    event.preventDefault();
    if (form.hasAttribute("data-tc-busy")) {
      return;
    }
    form.setAttribute("data-tc-busy", "");
    clearErrors(form);
    var button = form.querySelector(".tc-form__send");
    if (button) {
      button.setAttribute("aria-disabled", "true");
    }
    var status = statusOf(form);
    if (status) {
      status.textContent = "Sending your comment…";
    }
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "omit",
      mode: "cors",
      redirect: "error"
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          return { status: response.status, answer: answer };
        });
      })
      .then(function (result) {
        if (button) {
          button.removeAttribute("aria-disabled");
        }
        form.removeAttribute("data-tc-busy");
        if (result.status === 202 && result.answer && result.answer.status === "pending") {
          showThanks(form);
        } else if (result.status >= 400 && result.answer && result.answer.errors) {
          showErrors(form, result.answer);
        } else {
          plainSubmit(form);
        }
      })
      .catch(function () {
        plainSubmit(form);
      });
  }

  function setUpReplies(form) {
    var home = document.createComment(" the comment form's place ");
    form.parentNode.insertBefore(home, form);
    var heading = form.querySelector(".tc-form__heading");
    var button = form.querySelector(".tc-form__send");
    var texts = { heading: heading.textContent, button: button.textContent };
    var parent = document.createElement("input");
    parent.type = "hidden";
    parent.name = form.getAttribute("data-tc-parent-field");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "tc-form__cancel";
    cancel.textContent = "Cancel reply";
    var opener = null;

    function reveal() {
      var done = form.previousElementSibling;
      if (done && done.className === "tc-form__done") {
        done.parentNode.removeChild(done);
      }
      form.hidden = false;
      clearErrors(form);
    }

    function open(link) {
      var comment = link.closest("article.tc-comment");
      var author = comment.querySelector(".tc-author").textContent.trim();
      reveal();
      opener = link;
      parent.value = comment.id.replace(/^comment-/, "");
      form.insertBefore(parent, form.firstChild);
      heading.textContent = "Reply to " + author;
      button.textContent = "Send reply";
      button.parentNode.appendChild(cancel);
      link.parentNode.parentNode.insertBefore(form, link.parentNode.nextSibling);
      form.querySelector(".tc-input").focus();
    }

    function putBack() {
      opener = null;
      form.removeChild(parent);
      cancel.parentNode.removeChild(cancel);
      heading.textContent = texts.heading;
      button.textContent = texts.button;
      home.parentNode.insertBefore(form, home.nextSibling);
    }

    function close() {
      var link = opener;
      reveal();
      putBack();
      link.focus();
    }

    Array.prototype.forEach.call(document.querySelectorAll(".tc-reply a"), function (link) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
          return; // a new tab or window: let the reply page open there
        }
        event.preventDefault();
        open(link);
      });
    });
    cancel.addEventListener("click", close);
    // A reply was sent: its thank-you stays under the comment, the form goes
    // back after the thread, ready for a new comment.
    form.addEventListener("tc:sent", function () {
      if (opener) {
        putBack();
        form.hidden = false;
      }
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && opener) {
        event.preventDefault();
        close();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-tc-form]"), function (form) {
    form.addEventListener("submit", onSubmit);
  });
  var pageForm = document.querySelector("form[data-tc-parent-field]");
  if (pageForm && pageForm.closest) {
    setUpReplies(pageForm);
  }
})();
