;;;; conses.lisp: 50 000 conses of 16 bytes.

(defpackage #:memtest-system
  (:use #:common-lisp)
  (:export #:run))

(in-package #:memtest-system)

(declaim (notinline make-conses))

(defun make-conses (n)
  (let ((list '()))
    (dotimes (i n list)
      (push i list))))

(defun run ()
  (make-conses 50000)
  nil)
