ALTER TABLE users DROP COLUMN avatar_photo_id;
DROP TABLE photos;
