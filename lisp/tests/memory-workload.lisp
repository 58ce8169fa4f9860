;;;; memory-workload.lisp: allocations whose counts and sizes are known, for the memory tests.
;;;;
;;;; On x86-64: a cons is 16 bytes; (make-array 10) is a header, a length and 10 elements,
;;;; 12 words = 96 bytes; a POINT is a header, a layout word on some builds, and two slots,
;;;; rounded to an even number of words = 32 bytes.

(defpackage #:memtest
  (:use #:common-lisp)
  (:export #:run #:keep #:drop #:collect-three #:*kept*))

(in-package #:memtest)

(defstruct point x y)

(defvar *kept* nil)

(declaim (notinline make-conses make-vectors make-points))

(defun make-conses (n)
  (let ((list '()))
    (dotimes (i n list)
      (push i list))))

(defun make-vectors (m)
  (let ((last nil))
    (dotimes (i m last)
      (setf last (make-array 10)))))

(defun make-points (k)
  (let ((last nil))
    (dotimes (i k last)
      (setf last (make-point :x i :y i)))))

(defun run ()
  (make-conses 100000)
  (make-vectors 20000)
  (make-points 30000)
  nil)

(defun keep ()
  (setf *kept* (make-conses 100000))
  nil)

(defun drop ()
  (make-conses 100000)
  nil)

(defun collect-three ()
  (dotimes (i 3)
    (sb-ext:gc :full t)))
