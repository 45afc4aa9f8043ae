using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Idempotency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Outcomes become unique per entity and moment: of earlier repeats, the last one received is kept.
            migrationBuilder.Sql(
                "DELETE FROM \"Outcomes\" WHERE \"Id\" NOT IN (SELECT MAX(\"Id\") FROM \"Outcomes\" GROUP BY \"EnrollmentId\", \"EntityKey\", \"OccurredAt\")");

            migrationBuilder.DropIndex(
                name: "IX_Outcomes_EnrollmentId_EntityKey_OccurredAt",
                table: "Outcomes");

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    Owner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    BodyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Completed = table.Column<bool>(type: "INTEGER", nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Location = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Body = table.Column<byte[]>(type: "BLOB", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => new { x.Owner, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Outcomes_EnrollmentId_EntityKey_OccurredAt",
                table: "Outcomes",
                columns: new[] { "EnrollmentId", "EntityKey", "OccurredAt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CreatedAt",
                table: "IdempotencyRecords",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IdempotencyRecords");

            migrationBuilder.DropIndex(
                name: "IX_Outcomes_EnrollmentId_EntityKey_OccurredAt",
                table: "Outcomes");

            migrationBuilder.CreateIndex(
                name: "IX_Outcomes_EnrollmentId_EntityKey_OccurredAt",
                table: "Outcomes",
                columns: new[] { "EnrollmentId", "EntityKey", "OccurredAt" });
        }
    }
}
