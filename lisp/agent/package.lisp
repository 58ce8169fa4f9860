;;;; package.lisp: the agent's package.  The agent uses nothing but SBCL and its contribs, so
;;;; it never clashes with the libraries of the program it is loaded into.

(defpackage #:sbcl-profiler-agent
  (:use #:common-lisp)
  (:shadow #:listen)
  (:export #:main #:listen #:stop-listening
           #:+protocol-version+
           ;; JSON
           #:read-json #:parse-json #:write-json #:json-string #:jget
           ;; requests, for tests that call them in-process
           #:handle-message #:printed-name #:frame-name
           #:start-sampler #:stop-sampler #:deterministic-figures))

;;; Names are printed in this package: it has no symbols of its own, so every symbol comes out
;;; package-qualified except those of COMMON-LISP (LAMBDA, FLET, SETF read as themselves).
(defpackage #:sbcl-profiler-names
  (:use #:common-lisp))

(in-package #:sbcl-profiler-agent)

(defconstant +protocol-version+ 3)
